"""The firm-operations issue's "done when", in real Chromium against a live portal, then the real agent: dossiers
without a Sage BOB reference wait and are on the dashboard; the accountant gives all of them their enterprise
number as reference in one bulk change (preview, confirm); the month-end run queues their documents and the
agent writes them into REF/Demat/Aankopen."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tenants.utils import schema_context

from dossiers.models import AuditEntry
from exports.models import ExportItem, ExportSettings
from sync_api.services import create_sync_key
from tests.factories import DocumentFactory, DossierFactory

from ..conftest import PASSWORD
from ..sync_api.agent import AgentProcess
from .conftest import OUTPUT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

NUMBERS = ["0700000104", "0700000203", "0700000302"]


@pytest.fixture(scope="module")
def waiting_dossiers(browser_firm, django_db_blocker):
    """Three dossiers without a reference, each with a purchase invoice of October 2026, committed."""
    with django_db_blocker.unblock():
        with schema_context(browser_firm.schema_name):
            dossiers = [
                DossierFactory(name=f"Wachtend {i} BV", enterprise_number=number, bob_reference="")
                for i, number in enumerate(NUMBERS)
            ]
            for dossier in dossiers:
                DocumentFactory(dossier=dossier)
        connection.set_schema_to_public()
    return dossiers


def committed(func, *args, **kwargs):
    """Run `func` on a connection of its own (a thread), outside the test's transaction, so that what it writes
    is committed: the live portal and the agent see it."""
    result = {}

    def run():
        try:
            result["value"] = func(*args, **kwargs)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result.get("value")


def month_end(firm):
    call_command("run_exports", "--now", "2026-11-01T00:30+01:00", "--firm", firm.slug)


def new_key(firm):
    with schema_context(firm.schema_name):
        return create_sync_key(firm, "BOB server")[1]


def test_bulk_change_then_month_end_then_agent(live_portal, browser_firm, waiting_dossiers, page, tmp_path):
    host = f"http://kantoor-browser.localhost:{live_portal.rsplit(':', 1)[1]}"
    page.goto(f"{host}/accounts/login/")
    page.fill("#id_username", "owner-browser@example.com")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{host}/dashboard/")

    # Nothing of theirs leaves yet: the month-end run queues nothing, the dashboard lists them.
    committed(month_end, browser_firm)
    with schema_context(browser_firm.schema_name):
        assert not ExportItem.objects.exists()
    page.reload()
    assert page.locator("#bob-missing").get_by_text("Wachtend 0 BV").is_visible()
    page.screenshot(path=str(OUTPUT / "dashboard-bob-missing.png"), full_page=True)

    page.goto(f"{host}/dossiers/?bob=missing")
    page.check("#all-matching")
    page.locator("#bulk-change-button").click()
    page.check("#id_bob_reference_from_enterprise_number")
    page.get_by_role("button", name="Voorbeeld").click()
    preview = page.locator("#bulk-preview")
    assert preview.get_by_text("3 dossiers wijzigen").is_visible()
    page.screenshot(path=str(OUTPUT / "bulk-change-preview.png"), full_page=True)
    page.get_by_role("button", name="Wijziging bevestigen").click()
    page.wait_for_url(f"{host}/dossiers/?bob=missing")
    assert page.get_by_text("De exportinstellingen van 3 dossiers zijn gewijzigd.").is_visible()

    with schema_context(browser_firm.schema_name):
        references = dict(ExportSettings.objects.values_list("dossier__enterprise_number", "bob_reference"))
        assert all(references[number] == number for number in NUMBERS)
        assert AuditEntry.objects.filter(action="export_settings_changed", detail__source="bulk").count() == 3

    committed(month_end, browser_firm)
    key = committed(new_key, browser_firm)
    agent = AgentProcess(tmp_path)
    agent.configure(f"http://127.0.0.1:{live_portal.rsplit(':', 1)[1]}", key)
    done = agent.run("sync", "--once")
    assert done.returncode == 0, done.stdout + done.stderr
    folders = sorted(path.rsplit("/", 1)[0] for path in agent.files())
    assert folders == sorted(f"{number}/Demat/Aankopen" for number in NUMBERS)
    assert agent.leftovers() == []
