"""Writing one file into place, safely: a temporary `.billsync-<id>-<random>.part` in the target folder,
size and sha256 checked, flushed and fsynced, then moved into place without ever replacing another file.
No network here: the bytes come in as an iterable of chunks."""

import errno
import hashlib
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

PART_PREFIX = ".billsync-"
PART_SUFFIX = ".part"
CHUNK_SIZE = 64 * 1024


class TransferError(Exception):
    """The bytes received are not the announced ones (size or sha256): try again, nothing was placed."""


class Abandoned(Exception):
    """A stop was requested while writing; the temporary file was removed."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def existing(target: Path, sha256: str) -> str:
    """`absent`, `same` (this content is already there) or `different` (another file occupies the name)."""
    if not os.path.lexists(target):
        return "absent"
    if target.is_file() and not target.is_symlink() and file_sha256(target) == sha256.lower():
        return "same"
    return "different"


def remove_stale_parts(folders: Iterable[Path]) -> list[Path]:
    """Remove temporary files a killed run left in these folders; return what was removed."""
    removed = []
    for folder in folders:
        try:
            candidates = list(Path(folder).glob(f"{PART_PREFIX}*{PART_SUFFIX}"))
        except OSError:
            continue
        for part in candidates:
            try:
                part.unlink()
                removed.append(part)
            except FileNotFoundError:
                pass
    return removed


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS journals the rename
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _place(temporary: Path, target: Path) -> None:
    """Move the finished file to its name, atomically, never over an existing file (FileExistsError)."""
    if os.name == "nt":
        os.rename(temporary, target)  # refuses an existing target on Windows
        return
    try:
        os.link(temporary, target)  # refuses an existing target; atomic
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # A file system without hard links (some SMB/FAT mounts): check, then replace.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def write_file(
    target: Path,
    item_id: int,
    chunks: Iterable[bytes],
    size: int,
    sha256: str,
    stop: threading.Event | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> None:
    """Write `chunks` to `target`: complete and verified, or not at all. Raises TransferError (wrong bytes),
    Abandoned (stop requested), FileExistsError (the name was taken meanwhile) or OSError (disk full,
    permission denied…); the temporary file never stays behind."""
    temporary = target.parent / f"{PART_PREFIX}{item_id}-{secrets.token_hex(4)}{PART_SUFFIX}"
    handle = open(temporary, "xb")
    try:
        digest, written = hashlib.sha256(), 0
        with handle:
            for chunk in chunks:
                if stop is not None and stop.is_set():
                    raise Abandoned()
                handle.write(chunk)
                digest.update(chunk)
                written += len(chunk)
                if on_bytes is not None:
                    on_bytes(len(chunk))
                if written > size:
                    raise TransferError(f"received more than the announced {size} bytes")
            if written != size:
                raise TransferError(f"received {written} bytes, announced {size}")
            if digest.hexdigest() != sha256.lower():
                raise TransferError("the sha256 of the received bytes is not the announced one")
            handle.flush()
            os.fsync(handle.fileno())
        _place(temporary, target)
        _fsync_folder(target.parent)
    except BaseException:
        try:
            temporary.unlink()
        except FileNotFoundError:
            pass
        raise


def failure_code(error: OSError) -> str:
    """The code the portal shows for an operating-system error."""
    if isinstance(error, (FileExistsError, NotADirectoryError, IsADirectoryError)):
        return "conflict"
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission_denied"
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "disk_full"
    if error.errno == errno.ENAMETOOLONG:
        return "unsafe_path"
    return "write_error"


class BundleReader:
    """Reads a bundle (several files in one answer): per file a JSON line `{"id", "size", "sha256"}` and exactly
    `size` bytes, or a JSON line `{"id", "error"}` and no bytes. Raises TransferError when the stream breaks off
    or is not a bundle."""

    def __init__(self, chunks: Iterable[bytes]):
        self.chunks = iter(chunks)
        self.buffer = b""
        self.remaining = 0  # bytes of the current file not read yet

    def _more(self) -> bool:
        chunk = next(self.chunks, b"")
        self.buffer += chunk
        return bool(chunk)

    def header(self) -> dict[str, Any] | None:
        """The next file's header (after skipping what is left of the current file), or None at the end."""
        self.skip()
        while b"\n" not in self.buffer:
            if len(self.buffer) > 64 * 1024:
                raise TransferError("not a bundle: no header line")
            if not self._more():
                if self.buffer:
                    raise TransferError("the bundle ended in the middle of a header")
                return None
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            head: dict[str, Any] = json.loads(line)
            size = int(head.get("size", 0))
        except (ValueError, TypeError, AttributeError):
            raise TransferError("not a bundle: a header is not JSON") from None
        if size < 0:
            raise TransferError("not a bundle: negative size")
        self.remaining = size
        return head

    def body(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The current file's bytes, as chunks."""
        while self.remaining:
            if not self.buffer and not self._more():
                raise TransferError("the bundle ended in the middle of a file")
            chunk, self.buffer = (
                self.buffer[: min(self.remaining, chunk_size)],
                self.buffer[min(self.remaining, chunk_size) :],
            )
            self.remaining -= len(chunk)
            yield chunk

    def skip(self) -> None:
        for _chunk in self.body():
            pass
