"""Importing many received files at once (the import command): PDFs and images go to the quick-entry inbox,
everything else is treated as purchase UBL. The slow part, running the Peppol rules, happens in a pool of
worker processes, one per core; reading, the duplicate checks and storing stay in this process and in the
files' order, so the outcome is the same as importing them one by one.

Worker processes, not threads: Saxon cannot be shared between threads (see validation.py)."""

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import PortalError
from dossiers.models import Dossier

from . import quick_entry, rule_workers
from .attachments import sniff
from .models import InboxItem
from .services import ImportResult, Received, import_purchases
from .ubl_read import UblError

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
