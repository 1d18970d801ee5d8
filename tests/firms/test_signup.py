"""Free accountant sign-up: schema, owner and host are created, the owner lands logged in on the firm host."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from firms.models import Domain, Firm, Membership, User

from ..conftest import PASSWORD

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")

VALID = {
    "firm_name": "Boekhouding Peeters",
    "slug": "peeters",
    "enterprise_number": "0202.239.951",
    "owner_name": "An Peeters",
    "email": "an@peeters.example",
    "password": "Kantoor-Peeters-2026",
    "password_again": "Kantoor-Peeters-2026",
}


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def confirm_from_mail(client) -> str:
    """Follow the link of the last mail (the confirmation) and confirm; return where the portal sends us."""
    link = re.search(r"http://localhost(/signup/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200  # opening the link (a mail scanner may) creates nothing
    response = client.post(link)
    assert response.status_code == 302
    return response["Location"]


def test_sign_up_creates_schema_owner_and_host_and_lands_logged_in(public_client):
    response = public_client.post("/signup/", VALID)
    assert response["Location"] == "/signup/sent/"
    assert not Firm.objects.filter(slug="peeters").exists()  # only once the address is confirmed
    assert mail.outbox[-1].to == ["an@peeters.example"]
    location = confirm_from_mail(public_client)
    assert location.startswith("http://peeters.localhost/accounts/handoff/")
    firm = Firm.objects.get(slug="peeters")
    assert schema_exists(firm.schema_name)
    assert Domain.objects.filter(tenant=firm, domain="peeters.localhost", is_primary=True).exists()
    owner = User.objects.get(email="an@peeters.example")
    assert Membership.objects.get(user=owner, firm=firm).role == "owner"
    assert firm.enterprise_number == "0202239951"

    firm_client = Client(HTTP_HOST="peeters.localhost")
    landed = firm_client.get(location.removeprefix("http://peeters.localhost"), follow=True)
    assert landed.redirect_chain[-1][0] == "/dashboard/"
    assert landed.status_code == 200
    assert "Boekhouding Peeters" in landed.content.decode()
    assert landed.context["user"] == owner

    # The hand-off link is single use.
    again = Client(HTTP_HOST="peeters.localhost").get(location.removeprefix("http://peeters.localhost"))
    assert again["Location"] == "/accounts/login/"


@pytest.mark.parametrize("slug", ["www", "api", "admin", "static", "media", "mail"])
def test_reserved_slugs_are_refused(public_client, slug):
    response = public_client.post("/signup/", {**VALID, "slug": slug})
    assert response.status_code == 200
    assert "is gereserveerd" in response.content.decode()
    assert not Firm.objects.filter(slug=slug).exists()


def test_taken_slug_is_refused_and_form_keeps_input(public_client, firm_a):
    response = public_client.post("/signup/", {**VALID, "slug": firm_a.slug})
    body = response.content.decode()
    assert "is al in gebruik" in body
    assert 'value="Boekhouding Peeters"' in body
    assert not User.objects.filter(email=VALID["email"]).exists()


def test_bad_enterprise_number_refused_in_french(public_client):
    response = public_client.post("/signup/", {**VALID, "enterprise_number": "0202.239.952"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "n’est pas un numéro d’entreprise belge valide" in response.content.decode()
    assert not Firm.objects.filter(slug="peeters").exists()


def test_a_known_email_is_answered_like_a_new_one_and_its_owner_is_mailed(public_client, owner_a):
    new = public_client.post("/signup/", {**VALID, "email": "nieuw@peeters.example"})
    known = public_client.post("/signup/", {**VALID, "slug": "peeters-2", "email": owner_a.email.upper()})
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"]) == (302, "/signup/sent/")
    sent = public_client.get("/signup/sent/").content.decode()
    assert "already" not in sent and "bestaat al" not in sent
    to_owner = mail.outbox[-1]
    assert to_owner.to == [owner_a.email] and "/signup/confirm/" not in to_owner.body
    assert "/accounts/password-reset/" in to_owner.body
    assert not Firm.objects.filter(slug="peeters-2").exists()


def test_a_confirmation_link_works_once(public_client):
    public_client.post("/signup/", VALID)
    link = re.search(r"http://localhost(/signup/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    assert public_client.post(link).status_code == 302
    assert public_client.post(link).status_code == 410
    assert Firm.objects.filter(slug="peeters").count() == 1


def test_handoff_token_of_another_firm_does_not_log_in(public_client, firm_a, firm_b, owner_a):
    response = public_client.post("/accounts/login/", {"username": owner_a.email, "password": PASSWORD})
    token = re.search(r"/accounts/handoff/([^/]+)/", response["Location"]).group(1)
    on_b = Client(HTTP_HOST="firm-b.localhost").get(f"/accounts/handoff/{token}/", follow=True)
    assert on_b.context["user"].is_anonymous


@pytest.mark.parametrize(
    "language, text",
    [
        ("nl", "Je portaal wordt aangemaakt… Dit duurt enkele seconden: laat deze pagina open."),
        ("fr", "Votre portail est en cours de création… Cela prend quelques secondes : gardez cette page ouverte."),
    ],
)
def test_the_confirmation_page_carries_its_progress_line(public_client, language, text):
    """portal.js shows it (a status line) when creating the firm takes more than a second; no inline script."""
    from django.utils import translation

    with translation.override(language):
        response = public_client.get(
            "/signup/confirm/some-token/", HTTP_ACCEPT_LANGUAGE=language, HTTP_COOKIE=f"django_language={language}"
        )
    page = response.content.decode()
    assert 'role="status"' in page and f'data-progress="{text}"' in page
    assert "<script>" not in page and "<style" not in page
