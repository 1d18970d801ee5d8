"""The target folder as the configuration screen checks it: it exists, is a folder, and a test file can really be
written and removed there (permissions alone do not tell: an administrator, a read-only share or a read-only
file system answer only to a real write). A UNC path (`\\\\server\\share\\BOB50DATA`) is taken as typed."""

import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

TEST_PREFIX = ".billsync-write-test-"


@dataclass(frozen=True)
class FolderCheck:
    ok: bool
    reason: str  # a message key of the screen: folder_ok, folder_empty, folder_missing, folder_not_dir, folder_readonly
    detail: str = ""  # the operating system's words, when there are some


def is_unc(path: str) -> bool:
    return path.startswith("\\\\") or path.startswith("//")


def normalise(path: str) -> str:
    """The folder as it is saved: UNC paths as typed, others absolute with `~` expanded."""
    path = path.strip().strip('"')
    if not path or is_unc(path):
        return path
    return os.path.abspath(os.path.expanduser(path))


def check_folder(path: str) -> FolderCheck:
    """Whether billsync can deliver into `path`: exists, is a folder, a test file is written and removed."""
    path = normalise(path)
    if not path:
        return FolderCheck(False, "folder_empty")
    folder = Path(path)
    try:
        if not folder.exists():
            return FolderCheck(False, "folder_missing")
        if not folder.is_dir():
            return FolderCheck(False, "folder_not_dir")
    except OSError as error:
        return FolderCheck(False, "folder_missing", str(error))
    test_file = folder / f"{TEST_PREFIX}{secrets.token_hex(4)}.tmp"
    try:
        descriptor = os.open(test_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, b"billsync write test\n")
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        test_file.unlink()
    except OSError as error:
        return FolderCheck(False, "folder_readonly", error.strerror or str(error))
    return FolderCheck(True, "folder_ok")


def drives() -> list[str]:
    """Where choosing a folder starts: the drive letters on Windows, `/` and the home folder elsewhere."""
    if os.name == "nt":
        return [f"{letter}:\\" for letter in string.ascii_uppercase if os.path.isdir(f"{letter}:\\")]
    return ["/", str(Path.home())]


def subfolders(path: str, limit: int = 500) -> list[str]:
    """The visible folders in `path`, sorted (hidden ones left out; none when it cannot be read)."""
    try:
        with os.scandir(normalise(path)) as entries:
            names = sorted(entry.name for entry in entries if not entry.name.startswith(".") and _is_dir(entry))
    except OSError:
        return []
    return [str(Path(normalise(path)) / name) for name in names[:limit]]


def parent(path: str) -> str | None:
    path = normalise(path)
    parent = str(PureWindowsPath(path).parent if os.name == "nt" else Path(path).parent)
    return None if parent == path else parent


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
