"""Team invitations and password reset by mail, with links that work on the firm's host."""

import re

import pytest
from django.core import mail
from django.test import Client

from firms.models import Membership, User

from ..conftest import PASSWORD

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")


def link_in(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


def test_owner_invites_staff_who_joins_with_own_login(logged_in_a, firm_a):
    response = logged_in_a.post("/settings/team/", {"email": "new.staff@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    assert link.startswith("http://firm-a.localhost/join/")

    newcomer = Client(HTTP_HOST="firm-a.localhost")
    path = link.removeprefix("http://firm-a.localhost")
    response = newcomer.post(
        path, {"full_name": "Nieuwe Medewerker", "password": "Medewerker-2026!", "password_again": "Medewerker-2026!"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.staff@example.com")
    assert Membership.objects.get(user=user, firm=firm_a).role == "staff"
    assert newcomer.get("/dashboard/").status_code == 200
    # The link works once.
    assert Client(HTTP_HOST="firm-a.localhost").get(path).status_code == 410


def test_staff_cannot_invite(client_a, staff_a):
    client_a.force_login(staff_a)
    client_a.post("/settings/team/", {"email": "someone@example.com"})
    assert mail.outbox == []


def test_password_reset_on_firm_host_only_for_its_people(client_a, client_b, owner_a):
    client_b.post("/accounts/password-reset/", {"email": owner_a.email})
    assert mail.outbox == []
    client_a.post("/accounts/password-reset/", {"email": owner_a.email})
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    assert link.startswith("http://firm-a.localhost/accounts/reset/")
    path = link.removeprefix("http://firm-a.localhost")
    response = client_a.get(path, follow=True)
    response = client_a.post(
        response.redirect_chain[-1][0], {"new_password1": "Nieuw-Wachtwoord-77", "new_password2": "Nieuw-Wachtwoord-77"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=owner_a.pk).check_password("Nieuw-Wachtwoord-77")
    assert not User.objects.get(pk=owner_a.pk).check_password(PASSWORD)


def test_language_switch_is_remembered(logged_in_a, owner_a):
    logged_in_a.post("/i18n/setlang/", {"language": "fr", "next": "/dashboard/"})
    assert User.objects.get(pk=owner_a.pk).language == "fr"
    assert "Tableau de bord" in logged_in_a.get("/dashboard/").content.decode()


def test_password_reset_on_public_host_and_login_forwards(public_client, owner_a):
    public_client.post("/accounts/password-reset/", {"email": owner_a.email.upper()})
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    assert link.startswith("http://localhost/accounts/reset/")
    response = public_client.get(link.removeprefix("http://localhost"), follow=True)
    public_client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Publiek-Wachtwoord-5", "new_password2": "Publiek-Wachtwoord-5"},
    )
    login = public_client.post("/accounts/login/", {"username": owner_a.email, "password": "Publiek-Wachtwoord-5"})
    assert login["Location"].startswith("http://firm-a.localhost/accounts/handoff/")


def test_reset_mail_is_in_the_users_language(client_a, owner_a):
    User.objects.filter(pk=owner_a.pk).update(language="fr")
    client_a.post("/accounts/password-reset/", {"email": owner_a.email})
    assert "nouveau mot de passe" in mail.outbox[0].body.lower()
