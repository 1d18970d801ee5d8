"""Importing many received files at once (the import command): PDFs and images go to the quick-entry inbox,
everything else is treated as purchase UBL. The slow part, running the Peppol rules, happens in a pool of
worker processes, one per core; reading, the duplicate checks and storing stay in this process and in the
files' order, so the outcome is the same as importing them one by one.

Worker processes, not threads: Saxon cannot be shared between threads (see validation.py)."""

import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PortalError
from dossiers.models import Dossier
from firms.tenancy import current_schema

from . import quick_entry, rule_workers
from .attachments import sniff
from .models import InboxItem, Upload, UploadFile
from .services import ImportResult, Received, import_purchases
from .ubl_read import UblError

logger = logging.getLogger(__name__)

# Below this many UBL files the pool's start (Django and the compiled rules in each worker: 2-7 s) costs more
# than it saves.
POOL_FROM = 300
IN_FLIGHT = 64  # files handed to the pool ahead of storing, so memory stays bounded
FILES_PER_TRANSACTION = 50


class FileList(Sequence):
    """(name, bytes) pairs whose bytes are read only when asked for, from (name, read) pairs: hundreds of large
    uploads or files on disk are never all in memory at once."""

    def __init__(self, sources: Iterable[tuple[str, Callable[[], bytes]]]):
        self._sources = list(sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __getitem__(self, index: int) -> tuple[str, bytes]:  # type: ignore[override]  # no slices
        name, read = self._sources[index]
        return name, read()


def import_files(
    dossier: Dossier, files: Sequence[tuple[str, bytes]], actor, workers: int | None = None
) -> Iterator[tuple[str, ImportResult]]:
    """Import each (name, bytes) and yield (name, result) in the given order. A name may be a path; the
    document keeps its last part. Each file is read once per group (twice with worker processes)."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    ubl = [index for index in range(len(files)) if sniff(files[index][1]) is None] if workers > 1 else []
    pool = None
    if len(ubl) >= POOL_FROM:
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=rule_workers.start
        )
    checks: dict[int, Future] = {}
    queued = 0

    def group(start: int) -> list[tuple[str, ImportResult]]:
        """The files from `start` on, at most FILES_PER_TRANSACTION of them, stored in one transaction."""
        nonlocal queued
        results: list[tuple[str, ImportResult | None]] = []
        received, positions = [], []
        for index in range(start, min(start + FILES_PER_TRANSACTION, len(files))):
            while pool is not None and queued < len(ubl) and len(checks) < IN_FLIGHT:
                checks[ubl[queued]] = pool.submit(rule_workers.validate, files[ubl[queued]][1])
                queued += 1
            name, data = files[index]
            if index not in checks and sniff(data) is not None:
                results.append((name, _to_inbox(dossier, data, os.path.basename(name), actor)))
                continue
            findings = checks.pop(index).result() if index in checks else None
            if isinstance(findings, UblError):
                findings = None  # refused: importing says why, in the user's language
            positions.append(len(results))
            results.append((name, None))
            received.append(Received(os.path.basename(name), data, findings))
        for position, result in zip(positions, import_purchases(dossier, received, actor), strict=True):
            results[position] = (results[position][0], result)
        return [(name, result) for name, result in results if result is not None]  # each has its result now

    try:
        for start in range(0, len(files), FILES_PER_TRANSACTION):
            # One commit per group of files rather than per file; results are reported once committed. A
            # crash loses at most the group, and importing again recognises what did arrive.
            with transaction.atomic():
                done = group(start)
            yield from done
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _to_inbox(dossier: Dossier, data: bytes, name: str, actor) -> ImportResult:
    if InboxItem.objects.filter(dossier=dossier, sha256=hashlib.sha256(data).hexdigest()).exists():
        return ImportResult("duplicate", _("%(name)s is already in the inbox.") % {"name": name})
    try:
        quick_entry.add_to_inbox(dossier, data, name, actor)
    except PortalError as error:
        return ImportResult("refused", error.message)
    return ImportResult("imported", _("Waiting in quick entry."))


def receive_upload(dossier: Dossier, uploads: Iterable, actor) -> Upload:
    """Store uploaded files as they are and record them as one Upload waiting for its check; the caller
    queues `check_upload` once committed. Nothing is read or parsed here: a web request stays short."""
    upload = Upload.objects.create(dossier=dossier, created_by=actor, total=0)
    rows = []
    for position, uploaded in enumerate(uploads):
        path = f"uploads/{current_schema()}/{upload.pk}/{position}"
        uploaded.seek(0)
        stored = default_storage.save(path, uploaded)
        rows.append(
            UploadFile(upload=upload, position=position, name=os.path.basename(uploaded.name)[:255], stored=stored)
        )
    UploadFile.objects.bulk_create(rows)
    Upload.objects.filter(pk=upload.pk).update(total=len(rows))
    upload.total = len(rows)
    return upload


def check_upload(upload: Upload) -> None:
    """Import the files of an upload one by one, as the import command does, recording each outcome and the
    progress as it goes. Safe to run again and twice at once: each file is claimed (row lock, skip locked) and
    imported in the same transaction that records its outcome; one imported twice is recognised by content."""
    while True:
        with transaction.atomic():
            file = upload.files.select_for_update(skip_locked=True).filter(outcome="").order_by("position").first()
            if file is None:
                break
            try:
                data = default_storage.open(file.stored).read() if file.stored else b""
            except FileNotFoundError:
                data = b""
            try:
                with transaction.atomic():
                    result = next(import_files(upload.dossier, [(file.name, data)], upload.created_by, workers=1))[1]
            except Exception:  # one file must not stop the others; the cause goes to the worker's log
                logger.exception("Checking %s of upload %s failed", file.name, upload.pk)
                result = ImportResult("refused", _("This file could not be checked."))
            UploadFile.objects.filter(pk=file.pk).update(
                outcome=result.outcome, message=result.message, document=result.document, stored=""
            )
            Upload.objects.filter(pk=upload.pk).update(done=F("done") + 1)
        if file.stored:
            default_storage.delete(file.stored)
    if not upload.files.filter(outcome="").exists():
        Upload.objects.filter(pk=upload.pk, finished_at__isnull=True).update(finished_at=timezone.now())


def stale_uploads(older_than_minutes: int = 10):
    """Uploads not finished some minutes after they were made: their task was lost (broker down when queued,
    worker killed); queueing them again is safe."""
    since = timezone.now() - timedelta(minutes=older_than_minutes)
    return Upload.objects.filter(finished_at__isnull=True, created_at__lt=since)
