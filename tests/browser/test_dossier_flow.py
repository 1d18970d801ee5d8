"""Add a dossier, invite its entrepreneur, activate as the entrepreneur: real Chromium, live portal."""

import re

import pytest
from django.core import mail

from firms.models import User

from ..conftest import PASSWORD, watch_csp
from .conftest import OUTPUT

# django_db: makes pytest-django create the test database even when only browser tests run; what the live
# server writes is committed on its own connection.
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("mail_in_process")]


def test_accountant_adds_and_invites_entrepreneur_who_activates(
    live_portal, browser_firm, browser, page, settings, csp_violations
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    port = live_portal.rsplit(":", 1)[1]
    firm_host = f"http://kantoor-browser.localhost:{port}"

    page.goto(f"{firm_host}/accounts/login/")
    page.fill("#id_username", "owner-browser@example.com")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{firm_host}/dashboard/")

    page.get_by_role("link", name="Dossiers", exact=True).click()
    page.get_by_role("link", name="Toevoegen").click()
    page.fill("#id_enterprise_number", "0876.543.270")
    page.fill("#id_name", "Frituur Lambrecht")
    page.fill("#id_email", "lieve@lambrecht.example")
    page.select_option("#id_language", "nl")
    page.get_by_role("button", name="Toevoegen").click()
    page.screenshot(path=str(OUTPUT / "dossier-added.png"))
    page.get_by_role("button", name="Verstuur login gegevens").click()
    assert page.get_by_text("Uitgenodigd").first.is_visible()
    page.screenshot(path=str(OUTPUT / "dossier-invited.png"))

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    entrepreneur = browser.new_context(locale="nl-BE").new_page()
    watch_csp(entrepreneur, csp_violations)
    entrepreneur.goto(link)
    entrepreneur.fill("#id_full_name", "Lieve Lambrecht")
    entrepreneur.fill("#id_password", "Frieten-Lambrecht-9")
    entrepreneur.fill("#id_password_again", "Frieten-Lambrecht-9")
    entrepreneur.get_by_role("button", name="Activeren").click()
    entrepreneur.wait_for_url(re.compile(rf"{firm_host}/my/\d+/"))
    assert entrepreneur.get_by_role("heading", name="Frituur Lambrecht").is_visible()
    entrepreneur.screenshot(path=str(OUTPUT / "entrepreneur-home.png"))
    assert User.objects.get(email="lieve@lambrecht.example").full_name == "Lieve Lambrecht"

    page.goto(f"{firm_host}/dossiers/?q=Lambrecht")
    assert page.get_by_text("proefperiode tot").is_visible()
