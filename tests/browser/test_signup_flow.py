"""Sign-up → dashboard → profile, in real Chromium against a live portal."""

import re

import pytest
from django.core import mail

from .conftest import OUTPUT

# django_db: makes pytest-django create the test database even when only browser tests run; what the live
# server writes is committed on its own connection.
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("mail_in_process")]


def test_accountant_signs_up_lands_on_dashboard_and_completes_profile(live_portal, page):
    port = live_portal.rsplit(":", 1)[1]
    page.goto(f"{live_portal}/")
    page.screenshot(path=str(OUTPUT / "signup-landing.png"))
    page.get_by_role("link", name="Maak een gratis accountantsaccount aan").first.click()

    page.fill("#id_firm_name", "Kantoor Janssens")
    assert page.input_value("#id_slug") == "kantoor-janssens"  # suggested from the name
    page.fill("#id_enterprise_number", "0202.239.951")
    page.fill("#id_owner_name", "Jan Janssens")
    page.fill("#id_email", "jan@janssens.example")
    page.fill("#id_password", "Janssens-Kantoor-2026")
    page.fill("#id_password_again", "Janssens-Kantoor-2026")
    page.get_by_role("button", name="Account aanmaken").click()

    # The portal mails a link to the address; following it and confirming creates the firm.
    page.wait_for_url(f"{live_portal}/signup/sent/")
    page.locator("#signup-sent").wait_for()
    link = re.search(r"http://\S+/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator("form.form button[type=submit]").click()

    page.wait_for_url(f"http://kantoor-janssens.localhost:{port}/dashboard/")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert "Kantoor Janssens" in page.inner_text(".brand")
    page.screenshot(path=str(OUTPUT / "signup-dashboard.png"))

    page.get_by_text("Instellingen").click()
    page.get_by_role("link", name="Profiel", exact=True).click()
    page.fill("#id_legal_name", "Kantoor Janssens BV")
    page.fill("#id_iban", "BE71 0961 2345 6768")  # wrong check digits
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator("#id_iban-error").inner_text().startswith("“BE71 0961 2345 6768” is geen geldig IBAN")
    assert page.input_value("#id_legal_name") == "Kantoor Janssens BV"  # kept after the error

    page.fill("#id_iban", "BE71 0961 2345 6769")
    page.fill("#id_vat_number", "BE0202239951")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("status").inner_text() == "De bedrijfsgegevens zijn opgeslagen."
    assert page.input_value("#id_iban") == "BE71 0961 2345 6769"
    page.screenshot(path=str(OUTPUT / "signup-profile.png"))
