"""The downloads `make billsync-dist` builds: the zipapp runs with a plain Python and prints its own sha256; the
wheel installs into a fresh environment and its `billsync` command runs. Built here when dist/ lacks them."""

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from billsync import __version__

PACKAGE = Path(__file__).resolve().parents[1]
DIST = PACKAGE.parent / "dist"


@pytest.fixture(scope="session")
def dist() -> Path:
    wanted = [DIST / f"billsync-{__version__}.pyz", DIST / f"billsync-{__version__}-py3-none-any.whl"]
    if not all(path.is_file() for path in wanted):
        subprocess.run([sys.executable, str(PACKAGE / "packaging" / "build_dist.py"), str(DIST)], check=True)
    return DIST


def test_the_zipapp_runs_and_prints_its_sha256(dist, tmp_path):
    pyz = dist / f"billsync-{__version__}.pyz"
    done = subprocess.run(
        [sys.executable, "-I", str(pyz), "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"billsync {__version__}",
        f"{pyz.name} sha256 {hashlib.sha256(pyz.read_bytes()).hexdigest()}",
    ]
    helped = subprocess.run([sys.executable, "-I", str(pyz), "sync", "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "--quiet" in helped.stdout


def test_the_wheel_installs_and_runs(dist, tmp_path):
    wheel = dist / f"billsync-{__version__}-py3-none-any.whl"
    venv.create(tmp_path / "env", with_pip=True)
    python = tmp_path / "env" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    command = python.with_name("billsync.exe" if sys.platform == "win32" else "billsync")
    done = subprocess.run([str(command), "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"billsync {__version__}"
