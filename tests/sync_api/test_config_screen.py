"""The agent's configuration screen (`billsync ui`) driven by Chromium: folder checks, the key checked against the
live portal, save, "Sync now" delivers and Status counts; the language follows the system and can be switched;
requests without the token or with a foreign Host are refused."""

import http.client
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.db import connections

from exports.models import ExportSettings
from sync_api.services import create_sync_key
from tests.conftest import OUTPUT
from tests.factories import DossierFactory

from .agent import AgentProcess
from .conftest import make_item

pytestmark = pytest.mark.browser


@pytest.fixture
def screen(tmp_path, committed):
    """`billsync ui --no-browser` on a free port, its settings in tmp_path, the system language Dutch."""
    agent = AgentProcess(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "billsync", "ui", "--no-browser"],
        env={**agent.env(), "LANG": "nl_BE.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = [process.stdout.readline(), process.stdout.readline()]
    address = lines[-1].strip()
    assert address.startswith("http://127.0.0.1:") and "token=" in address, lines
    yield agent, address
    process.terminate()
    process.communicate(timeout=10)


@pytest.fixture
def chromium_page(browser):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    OUTPUT.mkdir(exist_ok=True)
    yield page
    context.close()
    connections.close_all()  # while Playwright's loop runs, Django keys connections by context


def read_only_folder(tmp_path) -> str:
    """A folder nobody can write in: for root permission bits do not count, but /sys/kernel refuses any new file."""
    if os.geteuid() == 0:
        return "/sys/kernel"
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    return str(folder)


def test_configure_check_the_key_and_sync_now_from_the_screen(screen, chromium_page, committed, live_server, tmp_path):
    agent, address = screen
    page = chromium_page
    dossier = DossierFactory(name="Bakkerij Peeters")
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(bob_reference="REF"))
    for n in range(3):
        make_item(dossier, f"<Invoice>{n}</Invoice>".encode(), f"REF/Demat/Aankopen/{n}.xml")
    make_item(dossier, b"0" * 128 + b"\n", "REF/CODA/1.cod", kind="coda")
    _key, raw = create_sync_key(committed, "Server kantoor")

    page.goto(address)
    assert page.locator(".tab.active").inner_text() == "Configuratie"  # the system's language: Dutch
    page.fill("#url", live_server.url)
    page.fill("#root", str(tmp_path / "does-not-exist"))
    page.click("#save")
    assert "bestaat niet" in page.locator("#message.error").inner_text()
    page.fill("#root", read_only_folder(tmp_path))
    page.click("#save")
    assert "kan in deze map niet schrijven" in page.locator("#message.error").inner_text()
    page.fill("#root", str(agent.root))
    page.click("#save")
    assert "Opgeslagen" in page.locator("#message.ok").inner_text()
    page.screenshot(path=str(OUTPUT / "billsync-screen-config.png"), full_page=True)

    page.click("text=API-sleutel")
    page.fill("#key", "bsk_abcdefgh_" + "x" * 43)
    page.click("#check-key")
    assert "weigert deze sleutel" in page.locator("#message.error").inner_text()
    page.fill("#key", "not a key")
    page.click("#check-key")
    assert "geen Billsync-sleutel" in page.locator("#message.error").inner_text()
    page.fill("#key", raw)
    page.click("#check-key")
    assert page.locator("#message.ok").inner_text() == "Verbonden met Kantoor Agent"
    assert page.locator("#current-key").inner_text() == raw[:12] + "_…" and raw not in page.content()
    page.screenshot(path=str(OUTPUT / "billsync-screen-key.png"), full_page=True)

    page.click("text=Status")
    assert "Verbonden met Kantoor Agent" in page.locator("#message.ok").inner_text()
    page.click("#sync-now")
    page.wait_for_selector("#sync-state:not(.busy)", timeout=60000)
    assert page.locator("#delivered-total").inner_text() == "4"
    assert page.locator("#delivered-today").inner_text() == "4"
    assert "4 files delivered (3 purchases, 1 CODA)" in page.locator("#last-run").inner_text()
    assert "delivered to REF/CODA/1.cod" in page.locator("#log").inner_text()
    assert sorted(agent.files()) == ["REF/CODA/1.cod", *(f"REF/Demat/Aankopen/{n}.xml" for n in range(3))]
    page.screenshot(path=str(OUTPUT / "billsync-screen-status.png"), full_page=True)

    page.click("a[lang=fr]")
    assert page.locator(".tab.active").inner_text() == "Statut"
    page.click("a[lang=en]")
    assert page.locator(".tab.active").inner_text() == "Status" and page.locator("#sync-now").inner_text() == "Sync now"


def test_the_screen_refuses_requests_without_the_token_or_from_a_foreign_host(screen, chromium_page):
    _agent, address = screen
    parts = urlsplit(address)
    answer = chromium_page.goto(f"{parts.scheme}://{parts.netloc}{parts.path}")
    assert answer.status == 403 and "token" in chromium_page.content()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", f"{parts.path}?{parts.query}", headers={"Host": f"evil.example:{parts.port}"})
    response = connection.getresponse()
    assert response.status == 403
    assert not [name for name, _value in response.getheaders() if name.lower().startswith("access-control")]
