"""The Billsync agent as the portal offers it for download: the files `make billsync-dist` (and the Windows and
Linux builds) put in the dist folder, each with its version, size and sha256; the latest version is what the
API tells agents and what Settings → Integrations compares connected agents with. Nothing is built here."""

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# file name → what it is; the version is the named group
PATTERNS = [
    (re.compile(r"^BillsyncSetup-(?P<version>\d+(?:\.\d+)*)\.exe$"), "windows", _("Windows installer")),
    (re.compile(r"^billsync-(?P<version>\d+(?:\.\d+)*)\.pyz$"), "zipapp", _("Any system with Python 3.11+ (zipapp)")),
    (re.compile(r"^billsync-(?P<version>\d+(?:\.\d+)*)-py3-none-any\.whl$"), "wheel", _("Wheel for pip install")),
    (re.compile(r"^billsync-(?P<version>\d+(?:\.\d+)*)-linux-x86_64$"), "linux", _("Linux (x86-64), one file")),
]
_hashes: dict[tuple[str, int, int], str] = {}
_hashes_lock = threading.Lock()


@dataclass(frozen=True)
class AgentDownload:
    name: str
    kind: str
    label: str
    version: str
    size: int
    sha256: str
    path: Path


def dist_dir() -> Path:
    """Where the built agent files are: BILLSYNC_DIST_DIR, else `dist/` beside the project."""
    configured = getattr(settings, "BILLSYNC_DIST_DIR", None) or os.environ.get("BILLSYNC_DIST_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "dist"


def version_key(version: str) -> tuple[int, ...]:
    """`0.10.2` → (0, 10, 2); () when it is not a plain dotted version."""
    if not re.fullmatch(r"\d+(?:\.\d+)*", version or ""):
        return ()
    return tuple(int(part) for part in version.split("."))


def is_outdated(version: str, latest: str | None) -> bool:
    """Whether an agent reporting `version` should be updated to `latest` (unknown versions are not judged)."""
    return bool(latest) and bool(version_key(version)) and version_key(version) < version_key(latest or "")


def _sha256(path: Path, stat: os.stat_result) -> str:
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _hashes_lock:
        if key in _hashes:
            return _hashes[key]
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    with _hashes_lock:
        _hashes[key] = digest.hexdigest()
    return _hashes[key]


def agent_downloads() -> list[AgentDownload]:
    """The agent files on offer, newest version first, then Windows, zipapp, wheel, Linux."""
    folder = dist_dir()
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        for order, (pattern, kind, label) in enumerate(PATTERNS):
            match = pattern.match(entry.name)
            if match and entry.is_file():
                stat = entry.stat()
                path = Path(entry.path)
                download = AgentDownload(
                    entry.name, kind, str(label), match["version"], stat.st_size, _sha256(path, stat), path
                )
                found.append((tuple(-n for n in version_key(download.version)), order, download))
    return [download for _key, _order, download in sorted(found, key=lambda row: row[:2])]


def latest_agent_version() -> str | None:
    downloads = agent_downloads()
    return max((d.version for d in downloads), key=version_key) if downloads else None


def find_download(name: str) -> AgentDownload | None:
    """The offered file of this exact name (only names listed by `agent_downloads`, never a path)."""
    return next((download for download in agent_downloads() if download.name == name), None)
