"""Failed logins are limited per account (django-axes) and per client address; so are password-reset
requests, invalid activation links and wrong sync keys per address. The message is in the user's language."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client

from firms.models import User

from ..conftest import PASSWORD

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")


def wrong(client, email, password="wrong-password-1"):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_the_right_password_is_refused_while_the_account_is_locked(client_a, owner_a):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong(client_a, owner_a.email).status_code == 200
    assert wrong(client_a, owner_a.email).status_code == 429  # the failure that reaches the limit locks
    locked = wrong(client_a, owner_a.email, PASSWORD)
    assert locked.status_code == 429 and 'id="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in client_a.session
    # Another address: the account itself is locked too.
    elsewhere = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"], REMOTE_ADDR="192.0.2.7")
    assert wrong(elsewhere, owner_a.email, PASSWORD).status_code == 429
    # The operator unlocks it in the admin (deleting the attempt); then the right password works.
    assert AccessAttempt.objects.filter(username=owner_a.email).exists()
    AccessAttempt.objects.all().delete()
    assert wrong(client_a, owner_a.email, PASSWORD).status_code == 302


def test_the_lockout_message_is_in_the_users_language(client_a, owner_a):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        wrong(client_a, owner_a.email)
    body = client_a.post(
        "/accounts/login/", {"username": owner_a.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Trop de mots de passe erronés" in body


def test_successful_logins_reset_the_count(client_a, owner_a):
    for _round in range(3):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            wrong(client_a, owner_a.email)
        assert wrong(client_a, owner_a.email, PASSWORD).status_code == 302
        client_a.logout()


def test_one_address_trying_many_accounts_is_stopped(client_a, owner_a):
    attempts, _seconds = settings.THROTTLE_LIMITS["login"]
    for number in range(attempts):
        wrong(client_a, f"guess{number}@example.com")
    response = wrong(client_a, owner_a.email, PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client_a.session
    assert "Te veel pogingen" in response.content.decode()


def test_password_reset_requests_are_limited_per_address(client_a, owner_a):
    attempts, _seconds = settings.THROTTLE_LIMITS["password_reset"]
    for _attempt in range(attempts):
        assert client_a.post("/accounts/password-reset/", {"email": owner_a.email}).status_code == 302
    refused = client_a.post("/accounts/password-reset/", {"email": owner_a.email})
    assert refused.status_code == 429 and len(mail.outbox) == attempts


def test_invalid_activation_links_are_limited_per_address(client_a, firm_a):
    attempts, _seconds = settings.THROTTLE_LIMITS["activation"]
    for number in range(attempts):
        assert client_a.get(f"/join/not-a-token-{number}/").status_code == 410
    assert client_a.get("/join/yet-another/").status_code == 429
    assert client_a.get("/activate/not-a-token/").status_code in (429, 404)


def test_wrong_sync_keys_are_limited_per_address(public_client):
    attempts, _seconds = settings.THROTTLE_LIMITS["sync_key"]
    for number in range(attempts):
        response = public_client.get("/api/sync/v1/items", HTTP_AUTHORIZATION=f"Bearer bsk_wrong_{number}")
        assert response.status_code == 401
    response = public_client.get("/api/sync/v1/items", HTTP_AUTHORIZATION="Bearer bsk_wrong_last")
    assert response.status_code == 429 and response.json()["code"] == "throttled"


def test_the_operator_sees_and_lifts_lockouts_in_the_admin(client_a, owner_a, public_client):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        wrong(client_a, owner_a.email)
    operator = User.objects.create_superuser("operator@example.com", PASSWORD)
    public_client.force_login(operator)
    listing = public_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and owner_a.email in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=owner_a.email)
    public_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert wrong(client_a, owner_a.email, PASSWORD).status_code == 302
