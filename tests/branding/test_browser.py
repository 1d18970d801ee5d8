"""Colours saved on the Branding page reach the login page, the accountant's menu and the entrepreneur's
view: real Chromium against a live portal, computed styles checked, screenshots in test-output/.

Runs among the browser tests, last (tests/conftest.py orders them), with a Playwright of its own that is
closed before the next browser test opens the shared one.
"""

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from dossiers.models import Dossier
from firms.models import DossierAccess, User
from firms.services import NewFirm, create_firm

from ..conftest import OUTPUT, PASSWORD, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PURPLE, AMBER, RED = "rgb(90, 24, 154)", "rgb(255, 186, 8)", "rgb(208, 0, 0)"
WHITE, BLACK = "rgb(255, 255, 255)", "rgb(0, 0, 0)"


@pytest.fixture(scope="session")
def branded_firm(live_portal, django_db_blocker):
    """A firm of its own with one dossier and its entrepreneur, committed (session scope: outside the test's
    transaction) so that the live server sees them."""
    with django_db_blocker.unblock():
        firm, _owner = create_firm(
            NewFirm(
                "Kantoor Huisstijl",
                "kantoor-huisstijl",
                "0417497106",
                "Eigenaar Huisstijl",
                "owner-huisstijl@example.com",
                PASSWORD,
            )
        )
        with schema_context(firm.schema_name):
            dossier = Dossier.objects.create(
                name="Brouwerij Claes", enterprise_number="0876543270", email="jan@claes.example", language="nl"
            )
        entrepreneur = User.objects.create_user("jan@claes.example", PASSWORD, full_name="Jan Claes")
        DossierAccess.objects.create(user=entrepreneur, firm=firm, dossier_id=dossier.pk)
    return firm, dossier


def style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")


def log_in(page, base: str, email: str):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("form.form button[type=submit]").click()


def test_colours_saved_on_the_branding_page_show_on_login_menu_and_entrepreneur_view(
    live_portal, browser, branded_firm, django_db_blocker, csp_violations
):
    _firm, dossier = branded_firm
    base = f"http://kantoor-huisstijl.localhost:{live_portal.rsplit(':', 1)[1]}"
    OUTPUT.mkdir(exist_ok=True)
    contexts = []

    def new_page():
        contexts.append(browser.new_context(locale="nl-BE"))
        opened = contexts[-1].new_page()
        watch_csp(opened, csp_violations)
        return opened

    with django_db_blocker.unblock():
        try:
            owner = new_page()
            owner.set_default_timeout(15000)
            log_in(owner, base, "owner-huisstijl@example.com")
            owner.wait_for_url(f"{base}/dashboard/")
            owner.goto(f"{base}/settings/branding/")
            # The hex field drives the picker and the live preview before anything is saved.
            owner.fill("#id_main_colour", "#5a189a")
            assert owner.eval_on_selector("[data-colour-picker=id_main_colour]", "el => el.value") == "#5a189a"
            assert style(owner, "#branding-preview .topbar", "backgroundColor") == PURPLE
            owner.fill("#id_nav_colour", "#ffba08")
            owner.fill("#id_button_colour", "#d00000")
            owner.fill("#id_login_title", "Welkom bij Huisstijl")
            assert owner.inner_text("[data-preview-title]") == "Welkom bij Huisstijl"
            owner.screenshot(path=str(OUTPUT / "branding-settings.png"), full_page=True)
            owner.locator("#branding-form button[type=submit]").click()
            assert owner.get_by_text("De huisstijl is bewaard.").is_visible()
            owner.wait_for_load_state()  # the firm's colours are a stylesheet of their own (CSP): let it load
            # The accountant's own menu: the Settings item is the selected one here.
            assert style(owner, ".topbar", "backgroundColor") == PURPLE
            assert style(owner, ".mainnav summary[aria-current]", "backgroundColor") == AMBER
            assert style(owner, ".mainnav summary[aria-current]", "color") == BLACK

            visitor = new_page()
            visitor.goto(f"{base}/accounts/login/")
            assert visitor.get_by_role("heading", name="Welkom bij Huisstijl").is_visible()
            assert style(visitor, ".topbar", "backgroundColor") == PURPLE
            assert style(visitor, ".topbar .brand", "color") == WHITE
            assert style(visitor, ".login-box button.button", "backgroundColor") == RED
            assert style(visitor, ".login-box button.button", "color") == WHITE
            visitor.screenshot(path=str(OUTPUT / "branding-login.png"), full_page=True)

            entrepreneur = new_page()
            log_in(entrepreneur, base, "jan@claes.example")
            entrepreneur.goto(f"{base}/my/{dossier.pk}/")
            assert entrepreneur.get_by_role("heading", name="Brouwerij Claes").is_visible()
            assert style(entrepreneur, ".topbar", "backgroundColor") == PURPLE
            assert style(entrepreneur, ".tabs a[aria-current]", "borderBottomColor") == AMBER
            entrepreneur.goto(f"{base}/dossiers/{dossier.pk}/quick-entry/")
            assert style(entrepreneur, "button.button[type=submit]", "backgroundColor") == RED
            entrepreneur.screenshot(path=str(OUTPUT / "branding-entrepreneur.png"), full_page=True)
        finally:
            for context in contexts:
                context.close()
            # While Playwright's loop ran, Django keyed connections by context, not thread: close this test's own.
            connections.close_all()
