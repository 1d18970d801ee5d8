"""Where a firm's files are stored: keys under the firm's schema, written once per content, read as streams.

Every stored file goes through Django's storage API (`default_storage`): local disk or an S3-compatible
bucket (settings.py, "Stored files"). Keys are `<schema>/<kind>/.../<sha256>.<ext>`: one prefix per firm, and
not guessable without the file's content.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import connection

CHUNK = 1024 * 1024


def firm_key(*parts: str, schema: str | None = None) -> str:
    """The storage key of a file of the current firm (or of `schema`): `<schema>/<parts...>`."""
    schema = schema or getattr(connection, "schema_name", "")  # django-tenants' connection
    if not schema or schema == "public":
        raise ValueError("a firm's file is stored under its schema; no firm is active")
    return "/".join([schema, *parts])


def store_once(key: str, data: bytes) -> str:
    """Store `data` under `key` unless it is there already (keys are content-addressed); return the key."""
    if default_storage.exists(key):
        return key
    return default_storage.save(key, ContentFile(data))


def chunks(name: str, storage: Storage | None = None) -> Iterator[bytes]:
    """The stored file's bytes, a part at a time (never whole in memory)."""
    with (storage or default_storage).open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            yield chunk


def stored_sha256(name: str, storage: Storage | None = None) -> str:
    """The sha256 of a stored file, read as a stream."""
    digest = hashlib.sha256()
    for chunk in chunks(name, storage):
        digest.update(chunk)
    return digest.hexdigest()


def redirect_url(name: str) -> str | None:
    """A short-lived pre-signed URL of the bucket for a stored file large enough to bypass the web processes
    (settings.SYNC_REDIRECT_BYTES), or None: local disk, small file, or redirects turned off."""
    threshold = settings.SYNC_REDIRECT_BYTES
    if not settings.AWS_STORAGE_BUCKET_NAME or threshold <= 0:
        return None
    try:
        size = default_storage.size(name)
    except Exception as error:  # botocore's ClientError for a missing key: the same answer as local disk's
        raise FileNotFoundError(name) from error
    if size < threshold:
        return None
    return default_storage.url(name, expire=settings.AWS_QUERYSTRING_EXPIRE)  # type: ignore[call-arg]  # S3Storage


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name under `folder` of `storage`, walked through the storage API."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # already in the destination with the same sha256
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, why)


def copy_verified(source: Storage, destination: Storage, progress=lambda name, outcome: None) -> CopyReport:
    """Copy every file of `source` to the same name in `destination`, streamed, and check each copy's sha256
    against the source's. A file already there with the same sha256 is left alone; one with other bytes is
    replaced. Nothing in `source` changes; a failure is reported by name and the copy goes on."""
    report = CopyReport()
    for name in stored_names(source):
        try:
            expected = stored_sha256(name, source)
            if destination.exists(name):
                if stored_sha256(name, destination) == expected:
                    report.present.append(name)
                    progress(name, "present")
                    continue
                destination.delete(name)
            with source.open(name, "rb") as stored:
                saved = destination.save(name, File(stored, name=name))
            if saved != name:
                raise ValueError(f"stored as {saved}")
            copied = stored_sha256(name, destination)
            if copied != expected:
                raise ValueError(f"sha256 {copied} after the copy, {expected} before")
        except Exception as error:  # noqa: BLE001 -- reported by name; the other files are still copied
            report.failed.append((name, str(error)))
            progress(name, "failed")
            continue
        report.copied.append(name)
        progress(name, "copied")
    return report
