"""Commands beside `make run` use its embedded servers and folders without any variable set, and say clearly
when no server runs. The end-to-end test starts the real stack (`python -m devstack run`, embedded PostgreSQL
and Redis in a temporary state folder), imports a supplier's invoice with `manage.py import_documents` from a
clean environment, and lets the real agent deliver it."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devstack import stack

ROOT = Path(__file__).resolve().parents[2]
SERVER_VARIABLES = ("DATABASE_URL", "REDIS_URL", "PGHOST", "MEDIA_ROOT", "EMAIL_FILE_PATH", "DATABASE_NAME")


def clean_env(state: Path, **extra: str) -> dict[str, str]:
    """This machine's environment without any server configured, as in a new terminal."""
    env = {name: value for name, value in os.environ.items() if name not in SERVER_VARIABLES}
    return {**env, "PORTAL_STATE_DIR": str(state), "CACHE_KEY_PREFIX": "stack-test", **extra}


def test_a_command_uses_the_recorded_stack_only_while_make_run_lives(tmp_path, monkeypatch):
    monkeypatch.setattr(stack, "STACK_FILE", tmp_path / "stack.json")
    values = {
        "DATABASE_URL": "postgresql://x@/portal",
        "REDIS_URL": "unix:///r.sock",
        "MEDIA_ROOT": "/m",
        "EMAIL_FILE_PATH": "/e",
    }
    stack.record(values)  # recorded by this (living) process
    environ: dict[str, str] = {}
    assert stack.use_running_stack(environ) and environ == values
    configured = {"DATABASE_URL": "postgresql://elsewhere/db"}
    assert not stack.use_running_stack(configured) and configured == {"DATABASE_URL": "postgresql://elsewhere/db"}
    data = json.loads(stack.STACK_FILE.read_text())
    stack.STACK_FILE.write_text(json.dumps({**data, "pid": 2**22 + 12345}))  # a make run that has gone
    assert not stack.use_running_stack({}) and stack.running() is None


def test_a_command_without_servers_says_how_to_start_them(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--shared"],
        cwd=ROOT,
        env=clean_env(tmp_path, PGPORT="1"),  # nothing listens on port 1
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "make run" in done.stderr and "DATABASE_URL" in done.stderr and "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(state: Path, *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(state),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.stack
def test_a_document_imported_beside_make_run_is_shown_and_delivered(tmp_path, shared_dir):
    pytest.importorskip("pgserver", reason="the embedded PostgreSQL of make run ([embedded] extra) is not installed")
    state, port = tmp_path / "state", _free_port()
    run = subprocess.Popen(
        [sys.executable, "-m", "devstack", "run"],
        cwd=ROOT,
        env=clean_env(state, RUN_ADDRESS=f"127.0.0.1:{port}", EXPORT_RUN_SECONDS="3", EXPORT_FANOUT_JITTER="0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            if (state / "stack.json").exists() or run.poll() is not None:
                break
            time.sleep(0.5)
        assert run.poll() is None and (state / "stack.json").exists(), "make run did not come up"
        invoice = shared_dir / "fixtures" / "ubl" / "letspeppol-0208-invoice.xml"
        # A dossier for the invoice's buyer, in the demo firm, from a plain terminal (no variables set).
        number = (
            _manage(
                state,
                "shell",
                "-c",
                "from django_tenants.utils import schema_context\n"
                "from documents.ubl_read import read_ubl\n"
                "from dossiers.models import Dossier\n"
                "from exports.models import ExportSettings\n"
                f"buyer = read_ubl(open({str(invoice)!r}, 'rb').read()).buyer\n"
                "with schema_context('firm_demo'):\n"
                "    number = buyer.enterprise_number\n"
                "    d, _ = Dossier.objects.get_or_create(enterprise_number=number, defaults={'name': 'Koper'})\n"
                "    ExportSettings.objects.update_or_create(dossier=d, defaults={'bob_reference': 'KOPER'})\n"
                "print(buyer.enterprise_number)",
            )
            .strip()
            .splitlines()[-1]
        )
        out = _manage(state, "import_documents", "--firm", "demo", "--dossier", number, str(invoice), "--workers", "1")
        assert "imported" in out.lower()
        # The running portal reads the same database and media folder: the document's page and its file.
        shown = _manage(
            state,
            "shell",
            "-c",
            "from django_tenants.utils import schema_context\n"
            "from documents.models import Document\n"
            "with schema_context('firm_demo'):\n"
            f"    d = Document.objects.get(dossier__enterprise_number={number!r}, original_name={invoice.name!r})\n"
            "    print(d.status, d.ubl.storage.exists(d.ubl.name), d.dossier_id, d.pk, d.number)",
        )
        status, stored, dossier_id, document_id, invoice_number = shown.split()[-5:]
        assert (status, stored) == ("final", "True")
        page = _logged_in_page(port, f"/dossiers/{dossier_id}/documents/{document_id}/")
        assert invoice_number in page
        key = (
            _manage(
                state,
                "shell",
                "-c",
                "from firms.models import Firm\n"
                "from sync_api.services import create_sync_key\n"
                "print(create_sync_key(Firm.objects.get(slug='demo'), 'stack test', None)[1])",
            )
            .strip()
            .splitlines()[-1]
        )
        from tests.sync_api.agent import AgentProcess

        agent = AgentProcess(tmp_path / "agent")
        agent.configure(f"http://127.0.0.1:{port}", key)
        wanted = invoice.read_bytes()
        for _ in range(60):  # the beat's export run (every 3 s here) queues it; the agent delivers it
            agent.run("sync", "--once", "--quiet")
            if wanted in agent.files().values():
                break
            time.sleep(1)
        delivered = [path for path, content in agent.files().items() if content == wanted]
        assert delivered and delivered[0].startswith("KOPER/"), agent.files().keys()
    finally:
        os.killpg(run.pid, 2)
        try:
            run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, 9)
    assert not (state / "stack.json").exists()


def _logged_in_page(port: int, path: str) -> str:
    """Log in on the demo firm's host as its accountant (a real browser's requests: cookie, CSRF token) and
    return the page at `path`."""
    import http.client
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    from devstack.demo import DEMO_OWNER_EMAIL, DEMO_PASSWORD

    class ToLoopback(urllib.request.HTTPHandler):  # *.localhost names resolve only in browsers
        def http_open(self, request):
            return self.do_open(
                lambda host, **kw: __import__("http.client").client.HTTPConnection("127.0.0.1", port, **kw), request
            )

    def fetch(opener, request, tries: int = 10):  # the dev server may still be restarting under load
        for attempt in range(tries):
            try:
                return opener.open(request, timeout=60).read().decode()
            except (ConnectionError, http.client.HTTPException, urllib.error.URLError):
                if attempt == tries - 1:
                    raise
                time.sleep(2)

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(ToLoopback, urllib.request.HTTPCookieProcessor(jar))
    base = f"http://demo.localhost:{port}"
    login = fetch(opener, f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": DEMO_OWNER_EMAIL, "password": DEMO_PASSWORD}
    )
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form.encode(), headers={"Referer": f"{base}/accounts/login/"}
    )
    fetch(opener, request, tries=1)
    return fetch(opener, f"{base}{path}")
