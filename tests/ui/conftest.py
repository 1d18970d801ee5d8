"""Interface tests in real Chromium: every page type at phone and desktop width, in Dutch and French.

One demo firm (the `make run` demo data, under its own slug) is made once per run; its owner and the demo
entrepreneur log in. axe-core comes from npm (`make install` runs `npm ci`) and is injected as an init script, so a
Content-Security-Policy on the pages does not stop it.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from ..conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
UI_SLUG = "kantoor-ui"
OWNER = "owner-ui@example.com"


@dataclass
class UiFirm:
    firm: object
    host: str  # http://kantoor-ui.localhost:port
    public: str  # http://localhost:port
    dossier_id: int
    document_id: int
    account_id: int
    entrepreneur: str


@pytest.fixture(scope="session")
def ui_data(firms, django_db_blocker):
    """The demo firm's data under its own slug, committed once per run: (firm, dossier, document, account ids)."""
    from banking.demo import seed_banking
    from banking.models import BankAccount
    from branding.demo import seed_branding
    from documents.demo import seed_documents
    from documents.models import Document
    from dossiers.demo import seed_dossiers
    from dossiers.models import Dossier
    from exports.demo import seed_export_settings
    from firms.services import NewFirm, create_firm

    with django_db_blocker.unblock():
        firm, _owner = create_firm(
            NewFirm("Kantoor Interface", UI_SLUG, "0403170701", "Els Interface", OWNER, PASSWORD)
        )
        seed_dossiers(firm, PASSWORD)
        seed_branding(firm)
        seed_export_settings(firm)
        seed_documents(firm)
        seed_banking(firm)
        with schema_context(firm.schema_name):
            bakery = Dossier.objects.get(enterprise_number="0202239951")
            document = Document.objects.filter(dossier=bakery).order_by("pk").first()
            account = BankAccount.objects.filter(dossier=bakery).order_by("pk").first()
            ids = bakery.pk, document.pk, account.pk
        connection.set_schema_to_public()
        connections.close_all()
    return firm, ids


@pytest.fixture(scope="session")
def ui_firm(live_portal, ui_data):
    from dossiers.demo import DEMO_ENTREPRENEUR_EMAIL

    firm, ids = ui_data
    port = live_portal.rsplit(":", 1)[1]
    return UiFirm(firm, f"http://{UI_SLUG}.localhost:{port}", live_portal, *ids, DEMO_ENTREPRENEUR_EMAIL)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}); `make install` runs `npm ci`")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def new_context(browser, django_db_blocker, ui_firm):
    """new_context(language, width): a browser context with the portal's language cookie set on both hosts."""
    contexts = []

    def make(language="nl", width=390, height=844, axe=None):
        context = browser.new_context(
            locale="en-US",  # the browser's own locale differs on purpose: the page's language must win
            viewport={"width": width, "height": height},
        )
        for url in (ui_firm.host, ui_firm.public):
            context.add_cookies([{"name": "portal_language", "value": language, "url": url}])
        if axe:
            context.add_init_script(script=axe)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context

    with django_db_blocker.unblock():
        yield make
        connections.close_all()
    for context in contexts:
        context.close()


def log_in(page, host, email, password=PASSWORD):
    page.goto(f"{host}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
