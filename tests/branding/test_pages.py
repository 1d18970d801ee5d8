"""The firm's branding on every host of the firm, served with the page, cached and forgotten on save; other
firms and the public host keep their own look."""

import re

from django.test import Client
from django.utils import translation

from branding.models import Branding
from branding.services import BrandingInput, branding_for_firm, save_branding, set_custom_host
from dossiers.models import Dossier
from firms.models import DossierAccess, User

from ..conftest import PASSWORD
from .conftest import form_data, png, upload


def with_theme(client, path: str) -> str:
    """The page and, after it, the firm's stylesheet it links (the colours are not inline: CSP)."""
    page = client.get(path).content.decode()
    link = re.search(r'href="(/branding/theme\.css[^"]*)"', page)
    return page + (client.get(link.group(1).replace("&amp;", "&")).content.decode() if link else "")


def login_page(host: str, language: str = "nl") -> str:
    client = Client(HTTP_HOST=host)
    client.cookies["portal_language"] = language
    return with_theme(client, "/accounts/login/")


def brand_a(**extra):
    values = {
        "main_colour": "#5a189a",
        "nav_colour": "#ffba08",
        "button_colour": "#d00000",
        "login_title": "Welkom bij Firm A",
        **extra,
    }
    return values


def test_login_page_of_default_and_custom_host_shows_the_firm_branding(logged_in_a, firm_a):
    logged_in_a.post(
        "/settings/branding/", {**form_data(custom_host="my.firm-a.be", **brand_a()), "logo": upload("logo.png", png())}
    )
    for host in ("firm-a.localhost", "my.firm-a.be"):
        page = login_page(host)
        assert "--main-colour: #5a189a; --main-text: #ffffff;" in page
        assert "--nav-colour: #ffba08; --nav-text: #000000;" in page
        assert "--button-colour: #d00000; --button-text: #ffffff;" in page
        assert "<h1>Welkom bij Firm A</h1>" in page
        assert 'class="brand-logo"><img src="/branding/files/logo-' in page


def test_empty_login_title_says_welcome_in_the_visitor_language(firm_a):
    assert "<h1>Welkom</h1>" in login_page("firm-a.localhost", "nl")
    assert "<h1>Bienvenue</h1>" in login_page("firm-a.localhost", "fr")
    assert "<h1>Welcome</h1>" in login_page("firm-a.localhost", "en")


def test_another_firm_host_shows_its_own_branding(firm_a, firm_b):
    save_branding(firm_a, BrandingInput(**brand_a()))
    save_branding(firm_b, BrandingInput(main_colour="#006d77", login_title="Firm B zegt hallo"))
    set_custom_host(firm_b, "my.firm-b.be")
    for host in ("firm-b.localhost", "my.firm-b.be"):
        page = login_page(host)
        assert "--main-colour: #006d77;" in page and "Firm B zegt hallo" in page
        assert "#5a189a" not in page and "Welkom bij Firm A" not in page


def test_the_public_host_keeps_the_platform_look(firm_a):
    save_branding(firm_a, BrandingInput(**brand_a()))
    page = with_theme(Client(HTTP_HOST="localhost"), "/accounts/login/")
    assert "--main-colour" not in page and "#5a189a" not in page


def test_accountant_and_entrepreneur_pages_carry_the_branding(logged_in_a, firm_a):
    save_branding(firm_a, BrandingInput(**brand_a()))
    assert "--main-colour: #5a189a;" in with_theme(logged_in_a, "/dashboard/")
    dossier = Dossier.objects.create(
        name="Bakkerij Peeters", enterprise_number="0403170701", email="an@peeters.example"
    )
    entrepreneur = User.objects.create_user("an@peeters.example", PASSWORD, full_name="An Peeters")
    DossierAccess.objects.create(user=entrepreneur, firm=firm_a, dossier_id=dossier.pk)
    client = Client(HTTP_HOST="firm-a.localhost")
    client.force_login(entrepreneur)
    page = with_theme(client, f"/my/{dossier.pk}/")
    assert "Bakkerij Peeters" in page and "--main-colour: #5a189a;" in page
    assert "/settings/branding/" not in page


def test_branding_is_cached_and_forgotten_on_save(logged_in_a, firm_a):
    save_branding(firm_a, BrandingInput(main_colour="#112233"))
    assert "--main-colour: #112233;" in login_page("firm-a.localhost")
    # A change behind the cache's back is not seen: the page comes from the cache ...
    Branding.objects.filter(firm=firm_a).update(main_colour="#445566")
    assert "--main-colour: #112233;" in login_page("firm-a.localhost")
    # ... and saving on the Branding page forgets it at once.
    logged_in_a.post("/settings/branding/", form_data(main_colour="#778899"))
    assert "--main-colour: #778899;" in login_page("firm-a.localhost")
    assert branding_for_firm(firm_a)["main_colour"] == "#778899"


def test_only_the_owner_sees_and_opens_the_branding_page(logged_in_a, staff_a, firm_a):
    logged_in_a.cookies["portal_language"] = "nl"
    assert 'href="/settings/branding/">Huisstijl</a>' in logged_in_a.get("/dashboard/").content.decode()
    staff = Client(HTTP_HOST="firm-a.localhost")
    staff.force_login(staff_a)
    assert "/settings/branding/" not in staff.get("/dashboard/").content.decode()
    assert staff.get("/settings/branding/").status_code == 403
    assert staff.post("/settings/branding/", form_data(main_colour="#000000")).status_code == 403
    assert Client(HTTP_HOST="firm-a.localhost").get("/settings/branding/").status_code == 302  # to login
    assert Client(HTTP_HOST="localhost").get("/settings/branding/").status_code == 404


def test_the_branding_page_shows_preview_and_pickers_in_french(logged_in_a, firm_a):
    logged_in_a.cookies["portal_language"] = "fr"
    page = logged_in_a.get("/settings/branding/").content.decode()
    assert "Identité visuelle" in page and 'type="color"' in page and 'id="branding-preview"' in page
    assert "Couleur principale" in page


def test_login_title_per_language_falls_back_to_the_first_one_filled(logged_in_a, firm_a):
    titles = {"login_title_fr": "Bienvenue chez Firm A", "login_title_en": "Welcome to Firm A"}
    assert logged_in_a.post("/settings/branding/", form_data(**titles)).status_code == 302
    assert "<h1>Bienvenue chez Firm A</h1>" in login_page("firm-a.localhost", "fr")
    assert "<h1>Welcome to Firm A</h1>" in login_page("firm-a.localhost", "en")
    assert "<h1>Bienvenue chez Firm A</h1>" in login_page("firm-a.localhost", "nl")  # no Dutch one: the first filled
    settings_page = logged_in_a.get("/settings/branding/").content.decode()
    assert 'value="Bienvenue chez Firm A"' in settings_page and 'value="Welcome to Firm A"' in settings_page

    logged_in_a.post("/settings/branding/", form_data(login_title="Welkom bij Firm A", **titles))
    with translation.override("nl"):  # the page's language stays with this test
        assert "<h1>Bienvenue chez Firm A</h1>" in login_page("firm-a.localhost", "fr")
    assert "<h1>Welkom bij Firm A</h1>" in login_page("firm-a.localhost", "nl")


def test_a_too_long_login_title_is_refused_and_kept_in_the_form(logged_in_a, firm_a):
    save_branding(firm_a, BrandingInput(login_title_fr="Bonjour"))
    response = logged_in_a.post("/settings/branding/", form_data(login_title_fr="x" * 101, login_title_en="Hi"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Hi"' in body and "x" * 101 in body
    with translation.override("nl"):  # the page's language stays with this test
        assert "<h1>Bonjour</h1>" in login_page("firm-a.localhost", "fr")
