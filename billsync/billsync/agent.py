"""One delivery run: heartbeat, remove stale temporary files, then lease the waiting items page by page and
deliver each (a small thread pool over one keep-alive connection pool); written files are acknowledged and
failures reported in batches. Every item ends delivered (acknowledged), reported as failed (the accountant sees
why), or left for the next run (network trouble, leased elsewhere, killed before its acknowledgement: then the
next run finds the file in place and acknowledges it without writing it again)."""

import logging
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx

from . import __version__
from .api_codes import SKIPPED_CODES, AckStatus, FailureCode
from .client import Api, ApiError, PortalUnavailable, Stopped
from .config import Config
from .delivery import (
    CHUNK_SIZE,
    Abandoned,
    BundleReader,
    TransferError,
    existing,
    failure_code,
    remove_stale_parts,
    write_file,
)
from .paths import UnsafePath, is_inside, target_path

log = logging.getLogger("billsync")
PAGE_SIZE = 200  # items leased at once (one lease token); about two pages are in flight
BUNDLE_FILES = 20  # small files downloaded in one request…
BUNDLE_BYTES = 1024 * 1024  # …of at most this many bytes; a larger file comes alone
ACK_BATCH = 100  # written files acknowledged in one request
REPORT_BATCH = 100  # failures reported in one request
DOWNLOAD_TRIES = 3
KEPT_FAILURES = 50  # failures remembered in a run's result (the state file, the status screen)

Item = dict[str, Any]  # an item as the API shows it: id, dossier, kind, path, size, sha256
Entry = TypeVar("Entry")


@dataclass
class Failure:
    id: int
    path: str
    code: str
    message: str


@dataclass
class RunResult:
    delivered: int = 0  # written and acknowledged
    present: int = 0  # already there with the same content: acknowledged only
    failed: int = 0  # reported to the portal (permission denied, unsafe path, disk full…), conflicts apart
    conflicts: int = 0  # another file already has the name: reported, never overwritten
    postponed: int = 0  # network trouble or stop: offered again next time
    skipped: int = 0  # another agent holds it, or it is no longer waiting
    bytes: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # delivered + present, per kind (sales, purchases, coda)
    failures: list[Failure] = field(default_factory=list)  # the first KEPT_FAILURES failures and conflicts
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.conflicts or self.postponed or self.errors)


class Progress:
    """Files and bytes on a terminal; silent otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.lock = threading.Lock()
        self.files = self.bytes = 0
        self.shown = 0.0

    def add(self, files: int = 0, size: int = 0) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.files += files
            self.bytes += size
            now = time.monotonic()
            if files and now - self.shown > 0.1:
                self.shown = now
                sys.stdout.write(f"\r{self.files} file(s), {self.bytes / 1_000_000:.1f} MB")
                sys.stdout.flush()

    def done(self) -> None:
        if self.enabled and self.files:
            sys.stdout.write(f"\r{self.files} file(s), {self.bytes / 1_000_000:.1f} MB\n")
            sys.stdout.flush()


def free_bytes(root: Path) -> int | None:
    try:
        return shutil.disk_usage(root).free
    except OSError:
        return None


class Tally:
    """A run's counters, safe to move from the worker threads."""

    def __init__(self, result: RunResult, progress: Progress):
        self.result, self.progress = result, progress
        self.lock = threading.Lock()

    def count(self, outcome: str, size: int = 0, kind: str = "") -> None:
        with self.lock:
            setattr(self.result, outcome, getattr(self.result, outcome) + 1)
            self.result.bytes += size
            if kind and outcome in ("delivered", "present"):
                self.result.kinds[kind] = self.result.kinds.get(kind, 0) + 1

    def fail(self, item: Item, code: str, message: str) -> None:
        with self.lock:
            if code == FailureCode.CONFLICT:
                self.result.conflicts += 1
            else:
                self.result.failed += 1
            if len(self.result.failures) < KEPT_FAILURES:
                self.result.failures.append(Failure(item["id"], item["path"], code, message))

    def unfail(self, item: Item, code: str) -> None:
        """A reported failure did not reach the portal: the item is offered again next time."""
        with self.lock:
            if code == FailureCode.CONFLICT:
                self.result.conflicts -= 1
            else:
                self.result.failed -= 1
            self.result.postponed += 1
            self.result.failures = [failure for failure in self.result.failures if failure.id != item["id"]]

    def error(self, message: str) -> None:
        with self.lock:
            self.result.errors.append(message)


class Batch(Generic[Entry]):
    """Entries collected from several download threads and sent `size` at a time in one request (the rest by
    `flush`); the subclass says how to send a batch."""

    size = 100

    def __init__(self, api: Api, tally: Tally):
        self.api, self.tally = api, tally
        self.pending: list[Entry] = []
        self.pending_lock = threading.Lock()

    def _collect(self, entry: Entry) -> None:
        with self.pending_lock:
            self.pending.append(entry)
            if len(self.pending) < self.size:
                return
            batch, self.pending = self.pending, []
        self._send(batch)

    def flush(self) -> None:
        with self.pending_lock:
            batch, self.pending = self.pending, []
        if batch:
            self._send(batch)

    def _send(self, batch: list[Entry]) -> None:
        raise NotImplementedError


class Acknowledgements(Batch[tuple[Item, str, str, int]]):
    """Written files waiting for their acknowledgement, sent ACK_BATCH at a time (and the rest by `flush`); the
    run's counters move only once the portal has answered. Entries: (item, lease, outcome, size)."""

    size = ACK_BATCH

    def add(self, item: Item, lease: str, outcome: str, size: int) -> None:
        self._collect((item, lease, outcome, size))

    def _send(self, batch: list[tuple[Item, str, str, int]]) -> None:
        try:
            statuses = self.api.ack_many(
                [{"id": item["id"], "sha256": item["sha256"], "lease": lease} for item, lease, _outcome, _size in batch]
            )
        except (PortalUnavailable, Stopped, ApiError) as error:
            log.warning(
                "%d acknowledgement(s) not sent (%s); the files will be acknowledged next time",
                len(batch),
                error or error.__class__.__name__,
            )
            for _entry in batch:
                self.tally.count("postponed")
            return
        for (item, _lease, outcome, size), status in zip(batch, statuses, strict=True):
            if status in (AckStatus.DELIVERED, AckStatus.ALREADY_DELIVERED, AckStatus.IGNORED):
                if outcome == "delivered":
                    log.info("item %s delivered to %s (%s)", item["id"], item["path"], status)
                self.tally.count(outcome, size, item.get("kind", ""))
                self.tally.progress.add(files=1)
            elif status == AckStatus.NOT_FOUND:
                log.info("item %s: no longer exists", item["id"])
                self.tally.count("skipped")
            else:
                log.error("item %s: the portal refused the acknowledgement (%s)", item["id"], status)
                self.tally.count("postponed")


class FailureReports(Batch[tuple[Item, str, str, str]]):
    """Files that could not be written, reported REPORT_BATCH at a time in one request (and the rest by
    `flush`). Counted at once; a report that does not reach the portal turns its item into `postponed`.
    Entries: (item, code, message, lease)."""

    size = REPORT_BATCH

    def add(self, item: Item, code: str, message: str, lease: str) -> None:
        log.warning("item %s (%s): %s: %s", item["id"], item["path"], code, message)
        self.tally.fail(item, code, message)
        self._collect((item, code, message, lease))

    def _send(self, batch: list[tuple[Item, str, str, str]]) -> None:
        reports = [
            {"id": item["id"], "code": code, "message": message, "lease": lease} for item, code, message, lease in batch
        ]
        try:
            self.api.report_failures(reports)
        except (PortalUnavailable, Stopped, ApiError) as error:
            log.warning(
                "%d failure report(s) not sent (%s); the files will be offered again",
                len(batch),
                error or error.__class__.__name__,
            )
            for item, code, _message, _lease in batch:
                self.tally.unfail(item, code)


@dataclass
class Run:
    """What one run's workers share."""

    tally: Tally
    acks: Acknowledgements
    reports: FailureReports


class Agent:
    def __init__(
        self,
        config: Config,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
        api: Api | None = None,
    ):
        self.config = config
        self.root = Path(config.root)
        self.stop = stop or threading.Event()
        self.progress = progress or Progress(False)
        self.api = api or Api(config.url, config.key, workers=config.workers, stop=self.stop)

    def close(self) -> None:
        self.api.close()

    # A run ----------------------------------------------------------------------------------------------

    def heartbeat(self, last_error: str = "") -> dict[str, Any]:
        return self.api.heartbeat(
            version=__version__,
            hostname=socket.gethostname(),
            root=str(self.root),
            free_bytes=free_bytes(self.root),
            last_error=last_error[:2000],
        )

    def prepare(self, last_error: str = "") -> dict[str, Any]:
        """Heartbeat, the portal's configuration, stale temporary files removed; returns the configuration."""
        if not self.root.is_dir():
            raise FileNotFoundError(f"The root folder {self.root} does not exist.")
        self.heartbeat(last_error)
        portal = self.api.config()
        folders = {
            self.root.joinpath(*folder.split("/"))
            for dossier in portal.get("dossiers", [])
            for folder in dossier.get("folders", {}).values()
            if folder
        }
        for part in remove_stale_parts(folders):
            log.info("removed a temporary file of an interrupted run: %s", part)
        return portal

    def run_once(self, last_error: str = "") -> RunResult:
        """Deliver everything waiting now. Raises ApiError (e.g. a revoked key), PortalUnavailable, Stopped or
        FileNotFoundError (no root folder)."""
        self.prepare(last_error)
        result = RunResult()
        tally = Tally(result, self.progress)
        run = Run(tally, Acknowledgements(self.api, tally), FailureReports(self.api, tally))
        try:
            self._lease_and_deliver(run)
        finally:  # what is written gets acknowledged, and failures reported, even when the run ends early
            run.acks.flush()
            run.reports.flush()
        self.progress.done()
        return result

    def _lease_and_deliver(self, run: Run) -> None:
        after = 0
        with ThreadPoolExecutor(max_workers=self.config.workers, thread_name_prefix="billsync") as pool:
            running: dict[Future[None], int] = {}  # future → its number of items
            try:
                while not self.stop.is_set():
                    page = self.api.lease(after=after, limit=PAGE_SIZE)
                    for bundle in bundles(page["items"]):
                        running[pool.submit(self._deliver_bundle, bundle, page["lease"], run)] = len(bundle)
                    after = page["next"]
                    while sum(running.values()) > PAGE_SIZE:  # keep at most about two pages in flight
                        done, _pending = wait(running, return_when=FIRST_COMPLETED)
                        for future in done:
                            del running[future]
                    if not page["has_more"]:
                        break
            finally:
                wait(running)

    def _deliver_bundle(self, items: list[Item], lease: str, run: Run) -> None:
        """Deliver these items of a leased page: the small files not in place yet in one request, each file
        that could not be written that way (and a file alone) by itself."""
        alone = items
        if len(items) > 1 and not self.stop.is_set():
            try:
                alone = self._bundle(items, lease, run)
            except Exception as error:  # a bug must not stop the other items; the run reports it
                log.exception("items %s…: unexpected error", items[0].get("id"))
                run.tally.error(f"items {items[0].get('id')}…: {error!r}")
                alone = []
        for item in alone:
            self._deliver_counted(item, lease, run)

    # A bundle: several small files in one download ------------------------------------------------------

    def _bundle(self, items: list[Item], lease: str, run: Run) -> list[Item]:
        """Fetch the files of `items` that are not in place in one bundle and write them; returns the items left
        to deliver one by one (not checked here, or a transfer that went wrong)."""
        wanted, alone = self._bundle_candidates(items)
        if not wanted:
            return alone
        written: list[Item] = []
        try:
            self._receive_bundle(wanted, lease, run, written, alone)
        except (PortalUnavailable, Stopped, Abandoned, TransferError, httpx.TransportError) as error:
            log.warning(
                "a bundle of %d file(s): %s; they will be offered again", len(wanted), error or error.__class__.__name__
            )
            self._postpone(wanted, run)
        except ApiError as error:
            log.error("a bundle of %d file(s): %s", len(wanted), error)
            self._postpone(wanted, run)
        finally:
            for item in written:  # acknowledged once the download's connection is free again
                run.acks.add(item, lease, "delivered", item["size"])
        return alone + [item for item, _target in wanted.values()]  # not in the answer: one by one

    def _bundle_candidates(self, items: list[Item]) -> tuple[dict[int, tuple[Item, Path]], list[Item]]:
        """The items whose name is free under a safe folder (by id, with their target), and the others: refused,
        already there or occupied, which the one-by-one path looks at and reports."""
        wanted: dict[int, tuple[Item, Path]] = {}
        alone: list[Item] = []
        for item in items:
            try:
                target = target_path(self.root, item["path"])
                target.parent.mkdir(parents=True, exist_ok=True)
                free = is_inside(self.root, target.parent) and existing(target, item["sha256"]) == "absent"
            except (UnsafePath, OSError):
                free = False
            if free:
                wanted[item["id"]] = (item, target)
            else:
                alone.append(item)
        return wanted, alone

    def _receive_bundle(
        self, wanted: dict[int, tuple[Item, Path]], lease: str, run: Run, written: list[Item], alone: list[Item]
    ) -> None:
        """Read the bundle of `wanted` and place each file; an item leaves `wanted` once its fate is known (a stop
        or a broken connection leaves the rest there)."""
        with self.api.download_many(list(wanted), lease) as response:
            reader = BundleReader(self._chunks(response))
            while (head := reader.header()) is not None:
                item_id = head.get("id")
                if not isinstance(item_id, int) or item_id not in wanted:
                    raise TransferError(f"the bundle holds an item not asked for: {item_id}")
                item, target = wanted[item_id]
                outcome = self._take_from_bundle(head, item, target, reader, lease, run)
                del wanted[item_id]
                if outcome == "written":
                    written.append(item)
                elif outcome == "alone":
                    alone.append(item)

    def _take_from_bundle(
        self, head: dict[str, Any], item: Item, target: Path, reader: BundleReader, lease: str, run: Run
    ) -> str:
        """One file of a bundle: `written`, `alone` (changed since it was leased, the name taken meanwhile or
        wrong bytes: deliver it by itself) or `done` (refused by the portal, or reported)."""
        if "error" in head:
            run.tally.count(self._refused(item, str(head["error"])))
            return "done"
        if head.get("size") != item["size"] or head.get("sha256") != item["sha256"]:
            return "alone"
        try:
            write_file(
                target,
                item["id"],
                reader.body(),
                item["size"],
                item["sha256"],
                self.stop,
                on_bytes=lambda n: self.progress.add(size=n),
            )
        except (FileExistsError, TransferError):
            return "alone"
        except OSError as error:
            run.reports.add(item, failure_code(error), f"{item['path']}: {error}", lease)
            return "done"
        return "written"

    @staticmethod
    def _postpone(wanted: dict[int, tuple[Item, Path]], run: Run) -> None:
        for _entry in wanted.values():
            run.tally.count("postponed")
        wanted.clear()

    @staticmethod
    def _refused(item: Item, code: str) -> str:
        if code in SKIPPED_CODES:
            log.info("item %s: %s", item["id"], code)
            return "skipped"
        log.error("item %s: the portal could not send it (%s)", item["id"], code)
        return "postponed"

    # One item -------------------------------------------------------------------------------------------

    def _deliver_counted(self, item: Item, lease: str, run: Run) -> None:
        try:
            outcome, size = self.deliver(item, lease, run)
        except Exception as error:  # a bug must not stop the other items; the run reports it
            log.exception("item %s: unexpected error", item.get("id"))
            run.tally.error(f"item {item.get('id')}: {error!r}")
            outcome, size = "postponed", 0
        if outcome in ("delivered", "present"):
            run.acks.add(item, lease, outcome, size)  # counted once acknowledged
        elif outcome != "reported":  # a reported failure is counted by the reports
            run.tally.count(outcome, size)

    def deliver(self, item: Item, lease: str, run: Run) -> tuple[str, int]:
        """Write one item (under `lease`, the token of its leased page); returns (outcome, bytes written):
        outcome is a RunResult counter's name, or `reported` (a failure sent with the run's reports);
        `delivered` and `present` still need the acknowledgement."""
        if self.stop.is_set():
            return "postponed", 0
        try:
            return self._deliver(item, lease, run)
        except (PortalUnavailable, Stopped, Abandoned, TransferError) as error:
            log.warning("item %s: %s; it will be offered again", item["id"], error or error.__class__.__name__)
            return "postponed", 0
        except ApiError as error:
            if error.code in SKIPPED_CODES:
                log.info("item %s: %s", item["id"], error.message)
                return "skipped", 0
            log.error("item %s: %s", item["id"], error)
            return "postponed", 0

    def _deliver(self, item: Item, lease: str, run: Run) -> tuple[str, int]:
        def report(code: str, message: str) -> tuple[str, int]:
            run.reports.add(item, code, f"{item['path']}: {message}", lease)
            return "reported", 0

        try:
            target = target_path(self.root, item["path"])
        except UnsafePath as error:
            return report(FailureCode.UNSAFE_PATH, str(error))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not is_inside(self.root, target.parent):
                return report(FailureCode.UNSAFE_PATH, "leads outside the root folder")
            return self._download_into(item, target, lease) or report(
                FailureCode.CONFLICT, "another file already exists there; it was not overwritten"
            )
        except OSError as error:
            return report(failure_code(error), str(error))

    def _download_into(self, item: Item, target: Path, lease: str) -> tuple[str, int] | None:
        """Download the item to `target` unless it is there: (`delivered` or `present`, size), or None when
        another file has the name. Raises TransferError when the bytes kept being wrong."""
        downloaded = False
        for attempt in range(DOWNLOAD_TRIES):
            state = existing(target, item["sha256"])
            if state == "same":
                return ("delivered" if downloaded else "present"), 0
            if state == "different":
                return None
            try:
                downloaded = True
                with self.api.download(item["id"], lease) as (response, lease):
                    write_file(
                        target,
                        item["id"],
                        self._chunks(response),
                        item["size"],
                        item["sha256"],
                        self.stop,
                        on_bytes=lambda n: self.progress.add(size=n),
                    )
            except FileExistsError:
                continue  # the name was taken meanwhile: look again
            except TransferError:
                if attempt == DOWNLOAD_TRIES - 1:
                    raise
                continue
            return "delivered", item["size"]
        raise TransferError("the file kept changing while it was delivered")

    @staticmethod
    def _chunks(response: httpx.Response) -> Iterator[bytes]:
        yield from response.iter_bytes(CHUNK_SIZE)


def bundles(items: list[Item]) -> list[list[Item]]:
    """The items in order, in groups of at most BUNDLE_FILES files and BUNDLE_BYTES bytes (a larger file alone)."""
    groups: list[list[Item]] = []
    current: list[Item] = []
    size = 0
    for item in items:
        if current and (len(current) >= BUNDLE_FILES or size + item["size"] > BUNDLE_BYTES):
            groups.append(current)
            current, size = [], 0
        current.append(item)
        size += item["size"]
    if current:
        groups.append(current)
    return groups


def result_summary(result: RunResult) -> dict[str, Any]:
    data = asdict(result)
    data["ok"] = result.ok
    return data
