"""The real agent process against a live portal: everything arrives where Sage BOB expects it, once; a killed
run is completed by the next; hostile paths and occupied names are refused and reported."""

import hashlib
import json
import os
import signal
import stat
import time

import pytest
from django.db import connection

from exports.models import ExportItem, ExportSettings, ItemState
from sync_api.services import agent_status, create_sync_key, revoke_sync_key
from tests.factories import DossierFactory

from .agent import AgentProcess
from .conftest import make_item


@pytest.fixture
def dossier(committed):
    dossier = DossierFactory(name="Bakkerij Peeters")
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(bob_reference="REF"))
    return dossier


@pytest.fixture
def agent(tmp_path, committed, live_server):
    process = AgentProcess(tmp_path)
    _key, raw = create_sync_key(committed, "Server kantoor")
    process.configure(live_server.url, raw)
    return process


def layout_items(dossier):
    return [
        make_item(dossier, b"<Invoice>purchase 1</Invoice>", "REF/Demat/Aankopen/20261103-000001-INV-1-Molens.xml"),
        make_item(dossier, b"<Invoice>purchase 2</Invoice>", "REF/Demat/Aankopen/20261104-000002-INV-2-Molens.xml"),
        make_item(
            dossier,
            b"<Invoice>sale 1</Invoice>",
            "REF/Demat/Verkopen/20261105-000003-2026-00001-Hotel.xml",
            kind="sales",
        ),
        make_item(dossier, b"0" * 128 + b"\n", "REF/CODA/20261130-000004-BE71096123456769-2026-001.cod", kind="coda"),
    ]


def test_configure_checks_the_key_and_saves_privately(tmp_path, committed, live_server):
    process = AgentProcess(tmp_path)
    refused = process.run(
        "configure", "--url", live_server.url, "--key", "bsk_abcdefgh_" + "x" * 43, "--root", str(process.root)
    )
    assert refused.returncode == 2 and "invalid_key" in refused.stderr
    assert not process.config.exists()
    _key, raw = create_sync_key(committed, "Server kantoor")
    done = process.configure(live_server.url, raw)
    assert "Kantoor Agent" in done.stdout
    if os.name != "nt":
        assert stat.S_IMODE(process.config.stat().st_mode) == 0o600
    assert json.loads(process.config.read_text())["key"] == raw


def test_everything_arrives_in_the_bob_layout_once(agent, dossier, committed):
    items = layout_items(dossier)
    done = agent.run("sync", "--once")
    assert done.returncode == 0, done.stderr
    assert agent.files() == {
        "REF/Demat/Aankopen/20261103-000001-INV-1-Molens.xml": b"<Invoice>purchase 1</Invoice>",
        "REF/Demat/Aankopen/20261104-000002-INV-2-Molens.xml": b"<Invoice>purchase 2</Invoice>",
        "REF/Demat/Verkopen/20261105-000003-2026-00001-Hotel.xml": b"<Invoice>sale 1</Invoice>",
        "REF/CODA/20261130-000004-BE71096123456769-2026-001.cod": b"0" * 128 + b"\n",
    }
    connection.set_tenant(committed)
    rows = ExportItem.objects.filter(pk__in=[i.pk for i in items])
    assert {(row.state, row.delivered_by, row.attempts) for row in rows} == {(ItemState.DELIVERED, "Server kantoor", 1)}
    status = agent_status(committed)
    assert status["connected"] and status["agents"][0]["root"] == str(agent.root.resolve())
    assert status["agents"][0]["free_bytes"] > 0 and status["agents"][0]["version"]
    mtimes = {path: (agent.root / path).stat().st_mtime_ns for path in agent.files()}

    again = agent.run("sync", "--once")
    assert again.returncode == 0, again.stderr
    assert {path: (agent.root / path).stat().st_mtime_ns for path in agent.files()} == mtimes
    last_run = json.loads(agent.config.with_name("state.json").read_text())["last_run"]
    assert (last_run["delivered"], last_run["present"], last_run["ok"]) == (0, 0, True)
    status_output = agent.run("status")
    assert status_output.returncode == 0 and "Connection: OK" in status_output.stdout
    assert (agent.config.with_name("billsync.log")).read_text().count("delivered to") == 4


def test_a_run_killed_mid_download_is_completed_by_the_next(tmp_path, committed, live_server, dossier):
    agent = AgentProcess(tmp_path)
    _key, raw = create_sync_key(committed, "Server kantoor")
    agent.configure(live_server.url, raw, "--workers", "1")
    small = [make_item(dossier, f"<Invoice>{n}</Invoice>".encode(), f"REF/Demat/Aankopen/a-{n}.xml") for n in range(3)]
    big_content = os.urandom(3 * 1024 * 1024)
    big = make_item(dossier, big_content, "REF/Demat/Aankopen/big.xml")
    later = make_item(dossier, b"<Invoice>after</Invoice>", "REF/Demat/Verkopen/z.xml", kind="sales")
    process = agent.start("sync", "--once", read_delay=0.05)
    folder = agent.root / "REF" / "Demat" / "Aankopen"
    deadline = time.monotonic() + 60

    def big_part_started():
        return any(part.stat().st_size > 100_000 for part in folder.glob(f".billsync-{big.pk}-*.part"))

    while not big_part_started() and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    [part] = list(folder.glob(".billsync-*.part"))
    assert 0 < part.stat().st_size < len(big_content)
    assert not (folder / "big.xml").exists()
    before = {path: (agent.root / path).stat().st_ino for path in agent.files() if not path.endswith(".part")}
    assert sorted(before) == [f"REF/Demat/Aankopen/a-{n}.xml" for n in range(3)]

    done = agent.run("sync", "--once")
    assert done.returncode == 0, done.stderr
    assert agent.leftovers() == []
    files = agent.files()
    assert files == {
        **{f"REF/Demat/Aankopen/a-{n}.xml": f"<Invoice>{n}</Invoice>".encode() for n in range(3)},
        "REF/Demat/Aankopen/big.xml": big_content,
        "REF/Demat/Verkopen/z.xml": b"<Invoice>after</Invoice>",
    }
    assert {path: (agent.root / path).stat().st_ino for path in before} == before  # not written again
    connection.set_tenant(committed)
    rows = {row.pk: row for row in ExportItem.objects.filter(pk__in=[i.pk for i in [*small, big, later]])}
    assert {row.state for row in rows.values()} == {ItemState.DELIVERED}
    assert rows[big.pk].attempts == 2 and rows[later.pk].attempts == 1


def test_a_hostile_path_is_refused_and_reported(agent, committed, dossier):
    good = make_item(dossier, b"<Invoice>ok</Invoice>", "REF/Demat/Aankopen/ok.xml")
    hostile = [
        make_item(dossier, b"<Invoice>evil</Invoice>", path)
        for path in (
            "../outside.xml",
            "REF/../../outside2.xml",
            "/tmp/billsync-absolute.xml",
            "C:/Windows/evil.xml",
            r"REF\Demat\evil.xml",
            "REF/CON.xml",
            "REF/a:b.xml",
        )
    ]
    done = agent.run("sync", "--once")
    assert done.returncode == 1
    assert agent.files() == {"REF/Demat/Aankopen/ok.xml": b"<Invoice>ok</Invoice>"}
    assert not (agent.folder / "outside.xml").exists() and not (agent.root.parent / "outside2.xml").exists()
    assert not os.path.exists("/tmp/billsync-absolute.xml")
    connection.set_tenant(committed)
    assert ExportItem.objects.get(pk=good.pk).state == ItemState.DELIVERED
    for item in ExportItem.objects.filter(pk__in=[i.pk for i in hostile]):
        assert (item.state, item.error_code) == (ItemState.FAILED, "unsafe_path"), item.path
        assert item.path in item.error


def test_an_occupied_name_is_reported_as_a_conflict_and_kept(agent, committed, dossier):
    occupied = make_item(dossier, b"<Invoice>ours</Invoice>", "REF/Demat/Aankopen/taken.xml")
    same = make_item(dossier, b"<Invoice>same</Invoice>", "REF/Demat/Aankopen/same.xml")
    folder = agent.root / "REF" / "Demat" / "Aankopen"
    folder.mkdir(parents=True)
    (folder / "taken.xml").write_bytes(b"the accountant's own file")
    (folder / "same.xml").write_bytes(b"<Invoice>same</Invoice>")
    done = agent.run("sync", "--once")
    assert done.returncode == 1
    assert (folder / "taken.xml").read_bytes() == b"the accountant's own file"
    connection.set_tenant(committed)
    conflict = ExportItem.objects.get(pk=occupied.pk)
    assert (conflict.state, conflict.error_code) == (ItemState.FAILED, "conflict")
    present = ExportItem.objects.get(pk=same.pk)
    assert (present.state, present.attempts) == (ItemState.DELIVERED, 0)  # acknowledged without downloading


def test_a_revoked_key_stops_the_agent_with_a_clear_status(agent, committed, dossier):
    from sync_api.models import SyncKey

    make_item(dossier)
    revoke_sync_key(committed, SyncKey.objects.get(firm=committed).pk)
    done = agent.run("sync", "--once")
    assert done.returncode == 4  # the key is refused
    assert agent.files() == {}
    status = agent.run("status")
    assert status.returncode == 4 and "invalid_key" in status.stdout


def test_the_agent_waits_for_a_portal_that_is_down(tmp_path, committed, live_server, dossier):
    """Pointed at a dead address it retries (briefly here) and fails cleanly; back at the portal it resumes."""
    agent = AgentProcess(tmp_path)
    _key, raw = create_sync_key(committed, "Server kantoor")
    agent.configure(live_server.url, raw)
    item = make_item(dossier, b"<Invoice>later</Invoice>", "REF/Demat/Aankopen/later.xml")
    settings = json.loads(agent.config.read_text())
    agent.config.write_text(json.dumps({**settings, "url": "http://127.0.0.1:9"}))
    down = agent.run("sync", "--once", timeout=120)
    assert down.returncode == 3  # the portal is unreachable
    assert "portal unreachable" in agent.config.with_name("billsync.log").read_text()
    agent.config.write_text(json.dumps(settings))
    assert agent.run("sync", "--once").returncode == 0
    assert agent.files() == {"REF/Demat/Aankopen/later.xml": b"<Invoice>later</Invoice>"}
    connection.set_tenant(committed)
    assert ExportItem.objects.get(pk=item.pk).sha256 == hashlib.sha256(b"<Invoice>later</Invoice>").hexdigest()


def test_two_agents_of_one_firm_share_the_work_without_overlap(tmp_path, committed, live_server, dossier):
    """Each leases its own pages: every file is written by exactly one of them, downloaded once."""
    items = [
        make_item(dossier, f"<Invoice>{n}</Invoice>".encode() * 50, f"REF/Demat/Aankopen/{n:04d}.xml")
        for n in range(450)
    ]
    agents = []
    for name in ("one", "two"):
        agent = AgentProcess(tmp_path / name)
        agent.configure(live_server.url, create_sync_key(committed, f"Server {name}")[1])
        agents.append(agent)
    processes = [agent.start("sync", "--once", "--quiet") for agent in agents]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    written = [set(agent.files()) for agent in agents]
    assert not written[0] & written[1]
    assert written[0] | written[1] == {item.path for item in items}
    connection.set_tenant(committed)
    rows = ExportItem.objects.filter(pk__in=[i.pk for i in items])
    assert {(row.state, row.attempts) for row in rows} == {(ItemState.DELIVERED, 1)}
    assert {row.delivered_by for row in rows} <= {"Server one", "Server two"}


def test_a_run_killed_among_bundles_is_completed_exactly_by_the_next(tmp_path, committed, live_server, dossier):
    agent = AgentProcess(tmp_path)
    agent.configure(live_server.url, create_sync_key(committed, "Server kantoor")[1], "--workers", "2")
    expected = {f"REF/Demat/Aankopen/{n:04d}.xml": f"<Invoice>{n}</Invoice>".encode() * 40 for n in range(300)}
    items = [make_item(dossier, content, path) for path, content in expected.items()]
    process = agent.start("sync", "--once", read_delay=0.01)
    folder = agent.root / "REF" / "Demat" / "Aankopen"
    deadline = time.monotonic() + 60
    while (not folder.is_dir() or len(list(folder.glob("*.xml"))) < 40) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert len(agent.files()) < 300

    done = agent.run("sync", "--once")
    assert done.returncode == 0, done.stderr
    assert agent.files() == expected and agent.leftovers() == []
    assert agent.run("sync", "--once").returncode == 0 and agent.files() == expected
    connection.set_tenant(committed)
    rows = ExportItem.objects.filter(pk__in=[i.pk for i in items])
    assert {row.state for row in rows} == {ItemState.DELIVERED}
    assert max(row.attempts for row in rows) <= 2
    last_run = json.loads(agent.config.with_name("state.json").read_text())["last_run"]
    assert (last_run["delivered"], last_run["present"]) == (0, 0)  # the third run found nothing to do


# What `sync --once` says, and its exit codes ----------------------------------------------------------------


def test_sync_once_ends_with_a_summary_and_exit_code_0(agent, dossier):
    layout_items(dossier)
    done = agent.run("sync", "--once")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "4 files delivered (1 sales, 2 purchases, 1 CODA), 0 failed, 0 conflicts"
    quiet = agent.run("sync", "--once", "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_sync_once_names_what_failed_and_exits_1(agent, dossier, committed):
    make_item(dossier, b"<Invoice>ok</Invoice>", "REF/Demat/Aankopen/ok.xml")
    make_item(dossier, b"<Invoice>mine</Invoice>", "REF/Demat/Aankopen/taken.xml")
    blocked = make_item(dossier, b"<Invoice>blocked</Invoice>", "REF/Demat/Elsewhere/x.xml")
    (agent.root / "REF" / "Demat" / "Aankopen").mkdir(parents=True)
    (agent.root / "REF" / "Demat" / "Aankopen" / "taken.xml").write_bytes(b"someone else's")
    (agent.folder / "outside").mkdir()
    (agent.root / "REF" / "Demat" / "Elsewhere").symlink_to(agent.folder / "outside")  # leads out of the root
    done = agent.run("sync", "--once")
    assert done.returncode == 1, done.stdout + done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith(
        "1 file delivered (1 purchases), 1 failed: REF/Demat/Elsewhere/x.xml: leads outside the root folder "
        "[unsafe_path]"
    ), last
    assert last.endswith(", 1 conflict"), last
    connection.set_tenant(committed)
    assert ExportItem.objects.get(pk=blocked.pk).state == ItemState.FAILED


def test_sync_once_without_a_connection_exits_3_and_says_why(tmp_path, committed, live_server, dossier):
    agent = AgentProcess(tmp_path)
    agent.configure(live_server.url, create_sync_key(committed, "Server kantoor")[1])
    settings = json.loads(agent.config.read_text())
    agent.config.write_text(json.dumps({**settings, "url": "http://127.0.0.1:9"}))
    done = agent.run("sync", "--once", timeout=120)
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr.startswith("Nothing delivered: GET config") or "Nothing delivered:" in done.stderr
    state = json.loads(agent.config.with_name("state.json").read_text())
    assert state["last_run"]["ok"] is False
