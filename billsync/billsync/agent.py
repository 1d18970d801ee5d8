"""One delivery run: heartbeat, remove stale temporary files, then lease the waiting items page by page and
deliver each (a small thread pool over one keep-alive connection pool); written files are acknowledged in
batches. Every item ends delivered (acknowledged), reported as failed (the accountant sees why), or left for the
next run (network trouble, leased elsewhere, killed before its acknowledgement: then the next run finds the
file in place and acknowledges it without writing it again)."""

import logging
import os
import shutil
import socket
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from . import __version__
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
DOWNLOAD_TRIES = 3
# Tests slow downloads down to kill the agent half-way through a file: seconds to sleep per chunk.
READ_DELAY = float(os.environ.get("BILLSYNC_TEST_READ_DELAY", "0") or 0)


@dataclass
class RunResult:
    delivered: int = 0  # written and acknowledged
    present: int = 0  # already there with the same content: acknowledged only
    failed: int = 0  # reported to the portal (conflict, unsafe path, disk full…)
    postponed: int = 0  # network trouble or stop: offered again next time
    skipped: int = 0  # another agent holds it, or it is no longer waiting
    bytes: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.postponed or self.errors)


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


class Acknowledgements:
    """Written files waiting for their acknowledgement, sent ACK_BATCH at a time (and the rest by `flush`); the
    run's counters move only once the portal has answered."""

    def __init__(self, api: Api, result: RunResult, lock: threading.Lock, progress: Progress):
        self.api, self.result, self.lock, self.progress = api, result, lock, progress
        self.pending: list[tuple[dict, str, str, int]] = []  # (item, lease, outcome, size)
        self.pending_lock = threading.Lock()

    def add(self, item: dict, lease: str, outcome: str, size: int) -> None:
        with self.pending_lock:
            self.pending.append((item, lease, outcome, size))
            if len(self.pending) < ACK_BATCH:
                return
            batch, self.pending = self.pending, []
        self._send(batch)

    def flush(self) -> None:
        with self.pending_lock:
            batch, self.pending = self.pending, []
        if batch:
            self._send(batch)

    def _count(self, outcome: str, size: int = 0) -> None:
        with self.lock:
            setattr(self.result, outcome, getattr(self.result, outcome) + 1)
            self.result.bytes += size

    def _send(self, batch: list[tuple[dict, str, str, int]]) -> None:
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
                self._count("postponed")
            return
        for (item, _lease, outcome, size), status in zip(batch, statuses, strict=True):
            if status in ("delivered", "already_delivered", "ignored"):
                if outcome == "delivered":
                    log.info("item %s delivered to %s (%s)", item["id"], item["path"], status)
                self._count(outcome, size)
                self.progress.add(files=1)
            elif status == "not_found":
                log.info("item %s: no longer exists", item["id"])
                self._count("skipped")
            else:
                log.error("item %s: the portal refused the acknowledgement (%s)", item["id"], status)
                self._count("postponed")


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
        self.lock = threading.Lock()

    def close(self) -> None:
        self.api.close()

    # A run ----------------------------------------------------------------------------------------------

    def heartbeat(self, last_error: str = "") -> dict:
        return self.api.heartbeat(
            version=__version__,
            hostname=socket.gethostname(),
            root=str(self.root),
            free_bytes=free_bytes(self.root),
            last_error=last_error[:2000],
        )

    def run_once(self, last_error: str = "") -> RunResult:
        """Deliver everything waiting now. Raises ApiError (e.g. a revoked key), PortalUnavailable or Stopped."""
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
        result = RunResult()
        acks = Acknowledgements(self.api, result, self.lock, self.progress)
        after = 0
        try:
            with ThreadPoolExecutor(max_workers=self.config.workers, thread_name_prefix="billsync") as pool:
                running: dict = {}  # future → its number of items
                try:
                    while not self.stop.is_set():
                        page = self.api.lease(after=after, limit=PAGE_SIZE)
                        for bundle in bundles(page["items"]):
                            future = pool.submit(self._deliver_bundle, bundle, page["lease"], result, acks)
                            running[future] = len(bundle)
                        after = page["next"]
                        while sum(running.values()) > PAGE_SIZE:  # keep at most about two pages in flight
                            done, _pending = wait(running, return_when=FIRST_COMPLETED)
                            for future in done:
                                del running[future]
                        if not page["has_more"]:
                            break
                finally:
                    wait(running)
        finally:
            acks.flush()  # what is written gets acknowledged, even when the run ends early
        self.progress.done()
        return result

    def _deliver_bundle(self, items: list[dict], lease: str, result: RunResult, acks: Acknowledgements) -> None:
        """Deliver these items of a leased page: the small files not in place yet in one request, each file
        that could not be written that way (and a file alone) by itself."""
        alone = items
        if len(items) > 1 and not self.stop.is_set():
            try:
                alone = self._bundle(items, lease, result, acks)
            except Exception as error:  # a bug must not stop the other items; the run reports it
                log.exception("items %s…: unexpected error", items[0].get("id"))
                with self.lock:
                    result.errors.append(f"items {items[0].get('id')}…: {error!r}")
                alone = []
        for item in alone:
            self._deliver_counted(item, lease, result, acks)

    def _bundle(self, items: list[dict], lease: str, result: RunResult, acks: Acknowledgements) -> list[dict]:
        """Fetch the files of `items` that are not in place in one bundle and write them; returns the items left
        to deliver one by one (not checked here, or a transfer that went wrong)."""
        wanted, alone, written = {}, [], []
        for item in items:
            try:
                target = target_path(self.root, item["path"])
                target.parent.mkdir(parents=True, exist_ok=True)
                if not is_inside(self.root, target.parent) or existing(target, item["sha256"]) != "absent":
                    alone.append(item)  # refused, already there or occupied: the one-by-one path says which
                    continue
            except (UnsafePath, OSError):
                alone.append(item)
                continue
            wanted[item["id"]] = (item, target)
        if not wanted:
            return alone
        try:
            with self.api.download_many(list(wanted), lease) as response:
                reader = BundleReader(self._chunks(response))
                while (head := reader.header()) is not None:
                    item_id = head.get("id")
                    if item_id not in wanted:
                        raise TransferError(f"the bundle holds an item not asked for: {item_id}")
                    item, target = wanted[item_id]
                    if "error" in head:
                        del wanted[item_id]
                        self._count(result, self._refused(item, str(head["error"])), 0)
                        continue
                    if head.get("size") != item["size"] or head.get("sha256") != item["sha256"]:
                        del wanted[item_id]
                        alone.append(item)  # changed since it was leased: the one-by-one path retries
                        continue
                    try:  # a stop or a broken connection leaves the item in `wanted`: postponed below
                        write_file(
                            target,
                            item_id,
                            reader.body(),
                            item["size"],
                            item["sha256"],
                            self.stop,
                            on_bytes=lambda n: self.progress.add(size=n),
                        )
                    except (FileExistsError, TransferError):
                        del wanted[item_id]
                        alone.append(item)  # the name was taken meanwhile, or wrong bytes: look again alone
                        continue
                    except OSError as error:
                        del wanted[item_id]
                        self._count(
                            result, self._report(item, failure_code(error), f"{item['path']}: {error}", lease), 0
                        )
                        continue
                    del wanted[item_id]
                    written.append(item)
        except (PortalUnavailable, Stopped, Abandoned, TransferError, httpx.TransportError) as error:
            log.warning(
                "a bundle of %d file(s): %s; they will be offered again", len(wanted), error or error.__class__.__name__
            )
            for _entry in wanted.values():
                self._count(result, "postponed", 0)
            wanted.clear()
        except ApiError as error:
            log.error("a bundle of %d file(s): %s", len(wanted), error)
            for _entry in wanted.values():
                self._count(result, "postponed", 0)
            wanted.clear()
        finally:
            for item in written:  # acknowledged once the download's connection is free again
                acks.add(item, lease, "delivered", item["size"])
        return alone + [item for item, _target in wanted.values()]  # not in the answer: one by one

    def _count(self, result: RunResult, outcome: str, size: int) -> None:
        with self.lock:
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.bytes += size

    @staticmethod
    def _refused(item: dict, code: str) -> str:
        if code in ("leased", "not_pending", "not_found"):
            log.info("item %s: %s", item["id"], code)
            return "skipped"
        log.error("item %s: the portal could not send it (%s)", item["id"], code)
        return "postponed"

    def _deliver_counted(self, item: dict, lease: str, result: RunResult, acks: Acknowledgements) -> None:
        try:
            outcome, size = self.deliver(item, lease)
        except Exception as error:  # a bug must not stop the other items; the run reports it
            log.exception("item %s: unexpected error", item.get("id"))
            outcome, size = "postponed", 0
            with self.lock:
                result.errors.append(f"item {item.get('id')}: {error!r}")
        if outcome in ("delivered", "present"):
            acks.add(item, lease, outcome, size)  # counted once acknowledged
            return
        with self.lock:
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.bytes += size

    # One item -------------------------------------------------------------------------------------------

    def _report(self, item: dict, code: str, message: str, lease: str = "") -> str:
        log.warning("item %s (%s): %s: %s", item["id"], item["path"], code, message)
        self.api.failure(item["id"], code, message, lease)
        return "failed"

    def deliver(self, item: dict, lease: str = "") -> tuple[str, int]:
        """Write one item (under `lease`, the token of its leased page); returns (outcome, bytes written):
        outcome is a RunResult counter's name; `delivered` and `present` still need the acknowledgement."""
        if self.stop.is_set():
            return "postponed", 0
        try:
            return self._deliver(item, lease)
        except (PortalUnavailable, Stopped, Abandoned, TransferError) as error:
            log.warning("item %s: %s; it will be offered again", item["id"], error or error.__class__.__name__)
            return "postponed", 0
        except ApiError as error:
            if error.code in ("leased", "not_pending", "not_found"):
                log.info("item %s: %s", item["id"], error.message)
                return "skipped", 0
            log.error("item %s: %s", item["id"], error)
            return "postponed", 0

    def _deliver(self, item: dict, lease: str) -> tuple[str, int]:
        item_id, sha256, size = item["id"], item["sha256"], item["size"]
        try:
            target = target_path(self.root, item["path"])
        except UnsafePath as error:
            return self._report(item, "unsafe_path", f"{item['path']}: {error}", lease), 0
        downloaded = False
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not is_inside(self.root, target.parent):
                return self._report(item, "unsafe_path", f"{item['path']}: leads outside the root folder", lease), 0
            for attempt in range(DOWNLOAD_TRIES):
                state = existing(target, sha256)
                if state == "same":
                    return ("delivered" if downloaded else "present"), 0
                if state == "different":
                    return self._report(
                        item,
                        "conflict",
                        f"another file already exists at {item['path']}; it was not overwritten",
                        lease,
                    ), 0
                try:
                    downloaded = True
                    with self.api.download(item_id, lease) as (response, lease):
                        write_file(
                            target,
                            item_id,
                            self._chunks(response),
                            size,
                            sha256,
                            self.stop,
                            on_bytes=lambda n: self.progress.add(size=n),
                        )
                except FileExistsError:
                    continue  # the name was taken meanwhile: look again
                except TransferError:
                    if attempt == DOWNLOAD_TRIES - 1:
                        raise
                    continue
                return "delivered", size
            raise TransferError("the file kept changing while it was delivered")
        except OSError as error:
            return self._report(item, failure_code(error), f"{item['path']}: {error}", lease), 0

    @staticmethod
    def _chunks(response):
        for chunk in response.iter_bytes(CHUNK_SIZE):
            if READ_DELAY:
                time.sleep(READ_DELAY)
            yield chunk


def bundles(items: list[dict]) -> list[list[dict]]:
    """The items in order, in groups of at most BUNDLE_FILES files and BUNDLE_BYTES bytes (a larger file alone)."""
    groups, current, size = [], [], 0
    for item in items:
        if current and (len(current) >= BUNDLE_FILES or size + item["size"] > BUNDLE_BYTES):
            groups.append(current)
            current, size = [], 0
        current.append(item)
        size += item["size"]
    if current:
        groups.append(current)
    return groups


def result_summary(result: RunResult) -> dict:
    data = asdict(result)
    data["ok"] = result.ok
    return data
