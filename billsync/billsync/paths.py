"""Which target paths the agent accepts: relative, `/`-separated, and safe on Windows and Linux alike. Pure.

The portal never sends anything else (exports/layout.py); the agent checks again because it writes to disk.
"""

import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

MAX_PATH = 600
MAX_SEGMENT = 255
RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
    "COM¹",
    "COM²",
    "COM³",
    "LPT¹",
    "LPT²",
    "LPT³",
    "CONIN$",
    "CONOUT$",
}
FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f\x7f]')


class UnsafePath(ValueError):
    """A target path the agent refuses to write; the message says why."""


def check_path(path: str) -> tuple[str, ...]:
    """The segments of `path` when it is a safe relative path; raises UnsafePath otherwise. Refuses absolute
    paths, drive letters, UNC names, `.` and `..`, backslashes, `<>:"|?*` and control characters, Windows
    device names (CON, NUL, COM1…, also with an extension), segments ending in a dot or a space (Windows
    would silently write another name), invisible format characters (Unicode Cf) and names not in NFC."""
    if not isinstance(path, str) or not path:
        raise UnsafePath("empty path")
    if len(path) > MAX_PATH:
        raise UnsafePath("path too long")
    if "\\" in path:
        raise UnsafePath("backslash in path")
    if any(unicodedata.category(char) == "Cf" for char in path):
        # Bidi overrides, zero-width characters, BOM: a name that displays as another (…lmx.exe.jpg).
        raise UnsafePath("invisible format character (bidi control, zero-width) in path")
    if unicodedata.normalize("NFC", path) != path:
        raise UnsafePath("path is not in Unicode normal form C")
    posix, windows = PurePosixPath(path), PureWindowsPath(path)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or windows.root or windows.anchor:
        raise UnsafePath("absolute path, drive letter or UNC name")
    segments = tuple(path.split("/"))
    for segment in segments:
        if segment in ("", ".", ".."):
            raise UnsafePath(f"segment {segment!r} not allowed")
        if FORBIDDEN.search(segment):
            raise UnsafePath(f"forbidden character in {segment!r}")
        if segment != segment.rstrip(" .") or segment != segment.lstrip(" "):
            raise UnsafePath(f"{segment!r} starts with a space or ends with a dot or a space")
        if len(segment) > MAX_SEGMENT:
            raise UnsafePath("name too long")
        if segment.split(".")[0].rstrip(" ").upper() in RESERVED:
            raise UnsafePath(f"{segment!r} is a reserved name on Windows")
    if windows.parts != segments or posix.parts != segments:  # both readings must agree on every part
        raise UnsafePath("path reads differently on Windows and Linux")
    return segments


def target_path(root: Path, path: str) -> Path:
    """Where `path` goes under `root` (checked with check_path)."""
    return Path(root).joinpath(*check_path(path))


def is_inside(root: Path, target: Path) -> bool:
    """Whether `target`, symbolic links resolved, stays under `root` (a linked folder could lead elsewhere)."""
    try:
        Path(target).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True
