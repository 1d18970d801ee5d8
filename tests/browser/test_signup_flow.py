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


def test_confirming_shows_progress_when_slow_and_creates_the_firm_once(live_portal, page):
    """Creating the firm is held back (the browser keeps the request waiting): after a second the page says what
    is happening, a second click sends nothing, and the firm is created once."""
    from firms.models import Firm
    from firms.services import NewFirm
    from firms.signup import request_signup

    port = live_portal.rsplit(":", 1)[1]
    new = NewFirm(
        name="Kantoor Voortgang",
        slug="kantoor-voortgang",
        enterprise_number="0403170701",
        owner_name="Vera Voortgang",
        owner_email="vera@voortgang.example",
        owner_password="Voortgang-Kantoor-2026",
    )
    request_signup(new, live_portal)
    link = re.search(r"http://\S+/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    held, posts = [], []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.route(
        re.compile(r".*/signup/confirm/.*"),
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )

    status = page.get_by_role("status")
    button = page.get_by_role("button", name="Mijn portaal aanmaken")
    button.click()
    page.wait_for_function("document.querySelector('[data-progress]').textContent !== ''", timeout=5000)
    assert status.inner_text() == "Je portaal wordt aangemaakt… Dit duurt enkele seconden: laat deze pagina open."
    button.click()  # impatient: nothing more is sent
    page.wait_for_timeout(500)
    assert len(posts) == 1 and len(held) == 1
    page.screenshot(path=str(OUTPUT / "signup-confirm-progress.png"))

    held[0].continue_()
    page.wait_for_url(f"http://kantoor-voortgang.localhost:{port}/dashboard/")
    assert Firm.objects.filter(name="Kantoor Voortgang").count() == 1
