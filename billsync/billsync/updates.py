"""Which version this agent is, from which file it runs (and that file's sha256, as the portal's download page
shows it), and whether the portal offers a newer one. The agent never replaces itself: it says so."""

import re
import sys
import zipimport
from pathlib import Path
from typing import Any

from . import __version__
from .delivery import file_sha256


def version_key(version: str) -> tuple[int, ...]:
    """`0.10.2` → (0, 10, 2); anything after the numbers (`0.2.0rc1`) counts as an earlier release."""
    numbers = re.match(r"^\d+(\.\d+)*", version.strip())
    if not numbers:
        return ()
    key = tuple(int(part) for part in numbers.group(0).split("."))
    return key if numbers.group(0) == version.strip() else (*key[:-1], key[-1] - 1) if key else ()


def is_newer(latest: str | None, current: str = __version__) -> bool:
    return bool(latest) and version_key(str(latest)) > version_key(current)


def update_notice(portal: dict[str, Any], current: str = __version__) -> str:
    """`Update available: 0.3.0 (you have 0.2.0), download it from <url>`, or "" when up to date."""
    agent = portal.get("agent") or {}
    latest = agent.get("latest_version")
    if not is_newer(latest, current):
        return ""
    return f"Update available: {latest} (you have {current}); download it from {agent.get('download_url', '')}"


def program_file() -> Path | None:
    """The single file this agent runs from: the zipapp (`.pyz`) or the frozen executable; None for an
    installed package (a wheel spreads over many files)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable)
    loader = globals().get("__loader__")
    if isinstance(loader, zipimport.zipimporter) and loader.archive:
        return Path(loader.archive)
    return None


def version_text() -> str:
    """What `billsync --version` prints: the version, and for a single-file program its file and sha256."""
    text = f"billsync {__version__}"
    program = program_file()
    if program is not None and program.is_file():
        text += f"\n{program.name} sha256 {file_sha256(program)}"
    return text
