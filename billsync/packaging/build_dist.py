"""Build the agent's downloads into a folder (default `dist/`): the wheel, the single-file zipapp
`billsync-<version>.pyz` (the agent with httpx and its dependencies, for any system with Python 3.11+), and with
`--binary` the one-file program that PyInstaller makes from billsync.spec (`billsync-<version>-linux-x86_64` here;
on Windows the spec's `billsync.exe` goes into the installer, see billsync/README.md). Prints each file with its
sha256. Needs pip (and PyInstaller for --binary); the dependencies come from the package index or pip's cache.

    python billsync/packaging/build_dist.py [--binary] [DIST]
"""

import argparse
import hashlib
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipapp
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # billsync/
SPEC = PACKAGE / "packaging" / "billsync.spec"


def version() -> str:
    text = (PACKAGE / "billsync" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise SystemExit("no __version__ in billsync/__init__.py")
    return found.group(1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)


def build_wheel(dist: Path, current: str) -> Path:
    wheel = dist / f"billsync-{current}-py3-none-any.whl"
    wheel.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as work:
        # a copy: building in place would leave build/ and *.egg-info in the source folder
        source = Path(work) / "billsync"
        shutil.copytree(
            PACKAGE,
            source,
            ignore=shutil.ignore_patterns(
                "tests", "packaging", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache"
            ),
        )
        pip("wheel", "--no-deps", "--wheel-dir", str(dist), str(source))
    if not wheel.is_file():
        raise SystemExit(f"pip did not write {wheel}")
    return wheel


def build_zipapp(dist: Path, wheel: Path, current: str) -> Path:
    target = dist / f"billsync-{current}.pyz"
    with tempfile.TemporaryDirectory() as work:
        content = Path(work) / "app"
        pip("install", "--no-compile", "--target", str(content), str(wheel))
        shutil.rmtree(content / "bin", ignore_errors=True)
        zipapp.create_archive(
            content, target, interpreter="/usr/bin/env python3", main="billsync.cli:main", compressed=True
        )
    return target


def build_binary(dist: Path, current: str) -> Path:
    """PyInstaller's one-file program from billsync.spec, named for this system (CI: Linux x86-64)."""
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--clean",
                "--log-level",
                "WARN",
                "--distpath",
                str(Path(work) / "out"),
                "--workpath",
                str(Path(work) / "build"),
                str(SPEC),
            ],
            check=True,
        )
        built = Path(work) / "out" / ("billsync.exe" if sys.platform == "win32" else "billsync")
        system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
        machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
        target = dist / f"billsync-{current}-{system}-{machine}{'.exe' if sys.platform == 'win32' else ''}"
        shutil.move(built, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", default="dist")
    parser.add_argument("--binary", action="store_true", help="only the PyInstaller one-file program")
    args = parser.parse_args()
    dist = Path(args.dist).resolve()
    dist.mkdir(parents=True, exist_ok=True)
    current = version()
    if args.binary:
        built = [build_binary(dist, current)]
    else:
        wheel = build_wheel(dist, current)
        built = [wheel, build_zipapp(dist, wheel, current)]
    for path in built:
        print(f"{path.name}  {path.stat().st_size} bytes  sha256 {sha256(path)}")


if __name__ == "__main__":
    main()
