"""Where a firm's files are stored: keys under the firm's schema, written once per content, read as streams.

Every stored file goes through Django's storage API (`default_storage`): local disk or an S3-compatible
bucket (settings.py, "Stored files"). Keys are `<schema>/<kind>/.../<sha256>.<ext>`: one prefix per firm, and
not guessable without the file's content.
"""

import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection

CHUNK = 1024 * 1024


def firm_key(*parts: str, schema: str | None = None) -> str:
    """The storage key of a file of the current firm (or of `schema`): `<schema>/<parts...>`."""
    schema = schema or connection.schema_name
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
    return default_storage.url(name, expire=settings.AWS_QUERYSTRING_EXPIRE)
