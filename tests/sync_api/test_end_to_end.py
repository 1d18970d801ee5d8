"""End to end: demo data in a fresh firm → the scheduled export run → the real agent (as a package, and as the
one-file program PyInstaller builds) → the files in Sage BOB's layout pass the independent Peppol (and CODA)
oracles, and the portal shows them delivered."""

import hashlib
import itertools
import platform
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from documents.demo import seed_documents
from documents.models import Document, DocumentStatus
from dossiers.demo import seed_dossiers
from exports.demo import seed_export_settings
from exports.models import ExportItem, ItemState
from firms.models import Firm
from firms.services import NewFirm, create_firm
from sync_api.services import agent_status, create_sync_key

from ..conftest import PASSWORD
from .agent import AgentProcess

_firms = itertools.count(1)


@pytest.fixture
def demo_firm(live_server, django_db_blocker):
    """A fresh firm with the demo dossiers and documents (October 2026), committed; dropped afterwards."""
    with django_db_blocker.unblock():
        number = next(_firms)  # each test its own firm and owner (a user outlives the dropped firm)
        firm, _owner = create_firm(
            NewFirm(
                "Demo E2E",
                f"demo-e2e-{number}",
                "0403170701",
                "Eigenaar E2E",
                f"owner-e2e-{number}@example.com",
                PASSWORD,
            )
        )
        seed_dossiers(firm, PASSWORD)
        seed_export_settings(firm)
        created = seed_documents(firm, date(2026, 10, 1))
        assert len(created) == 4
        connection.set_schema_to_public()
        yield firm
        connection.set_schema_to_public()
        Firm.objects.get(pk=firm.pk).delete(force_drop=True)


def test_demo_documents_reach_the_bob_folders_and_pass_the_oracles(
    tmp_path, live_server, demo_firm, shared_dir, oracle_python
):  # noqa: F811
    call_command("run_exports", "--now", "2026-11-01T00:30+01:00", "--firm", demo_firm.slug)
    agent = AgentProcess(tmp_path)
    agent.configure(live_server.url, create_sync_key(demo_firm, "BOB server")[1])
    done = agent.run("sync", "--once")
    assert done.returncode == 0, done.stderr

    files = agent.files()
    assert sorted(path.rsplit("/", 1)[0] for path in files) == [
        "CLAES/Demat/Aankopen",
        "PEETERS/Demat/Verkopen",
        "PEETERS/Demat/Verkopen",
        "PEETERS/Demat/Verkopen",
    ]
    assert all(path.endswith(".xml") for path in files) and agent.leftovers() == []
    checked = subprocess.run(
        [str(oracle_python), str(shared_dir / "oracles" / "check_ubl.py"), str(agent.root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASS") == len(files)
    coda = sorted(agent.root.rglob("*.cod"))
    if coda:  # CODA goes along once bank accounts export it
        checked = subprocess.run(
            [str(oracle_python), str(shared_dir / "oracles" / "check_coda.py"), *map(str, coda)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr

    connection.set_tenant(demo_firm)
    try:
        assert {item.state for item in ExportItem.objects.all()} == {ItemState.DELIVERED}
        assert ExportItem.objects.count() == 4
        assert {(d.status, d.locked) for d in Document.objects.all()} == {(DocumentStatus.EXPORTED, True)}
    finally:
        connection.set_schema_to_public()
    assert agent_status(demo_firm)["connected"]


ROOT = Path(__file__).resolve().parents[2]


def agent_version() -> str:
    # From the source: in this process `billsync` is the repository's folder, not the installed package.
    return re.search(r'__version__ = "([^"]+)"', (ROOT / "billsync/billsync/__init__.py").read_text()).group(1)


@pytest.fixture(scope="session")
def linux_binary():
    """The one-file program PyInstaller builds from billsync/packaging/billsync.spec (`make billsync-binary`, a
    prerequisite of `make test`); built here when it is missing."""
    root, __version__ = ROOT, agent_version()
    binary = root / "dist" / f"billsync-{__version__}-linux-x86_64"
    if not binary.is_file():
        subprocess.run(
            [sys.executable, str(root / "billsync" / "packaging" / "build_dist.py"), "--binary", str(root / "dist")],
            check=True,
            timeout=900,
        )
    return binary


@pytest.mark.skipif(sys.platform != "linux" or platform.machine() != "x86_64", reason="the CI build is Linux x86-64")
def test_the_pyinstaller_binary_delivers_the_demo_files(tmp_path, live_server, demo_firm, linux_binary):
    __version__ = agent_version()
    version = subprocess.run([str(linux_binary), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0, version.stderr
    assert version.stdout.splitlines()[0] == f"billsync {__version__}"
    assert hashlib.sha256(linux_binary.read_bytes()).hexdigest() in version.stdout

    call_command("run_exports", "--now", "2026-11-01T00:30+01:00", "--firm", demo_firm.slug)
    agent = AgentProcess(tmp_path, program=[str(linux_binary)])
    agent.configure(live_server.url, create_sync_key(demo_firm, "BOB server")[1])
    done = agent.run("sync", "--once")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "4 files delivered (3 sales, 1 purchases), 0 failed, 0 conflicts"
    assert len(agent.files()) == 4 and agent.leftovers() == []
    connection.set_tenant(demo_firm)
    try:
        assert {item.state for item in ExportItem.objects.all()} == {ItemState.DELIVERED}
    finally:
        connection.set_schema_to_public()
    [seen] = agent_status(demo_firm)["agents"]
    assert seen["version"] == __version__
