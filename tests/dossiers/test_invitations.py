"""Inviting entrepreneurs: single-use, expiring links; activation starts a trial and lands in the dossier."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from dossiers.models import Dossier, DossierInvitation
from firms.models import DossierAccess, User

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def make_dossier(**extra):
    values = {
        "name": "Bakkerij Peeters",
        "enterprise_number": "0403170701",
        "email": "an@peeters.example",
        "language": "fr",
    }
    values.update(extra)
    return Dossier.objects.create(**values)


def invite(client, *dossiers):
    return client.post("/dossiers/invite/", {"dossier": [d.pk for d in dossiers]})


def test_invitation_mail_is_in_dossier_language_with_firm_name(logged_in_a, firm_a):
    dossier = make_dossier()
    invite(logged_in_a, dossier)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@peeters.example"]
    assert "Firm A" in message.subject
    assert "votre comptable" in message.body
    assert link_in(message).startswith("http://firm-a.localhost/activate/")
    assert Dossier.objects.get(pk=dossier.pk).status == "invited"


def test_activation_sets_password_starts_trial_and_lands_in_dossier(logged_in_a, firm_a):
    dossier = make_dossier()
    invite(logged_in_a, dossier)
    path = link_in(mail.outbox[0]).removeprefix("http://firm-a.localhost")
    entrepreneur = Client(HTTP_HOST="firm-a.localhost")
    response = entrepreneur.post(
        path, {"full_name": "An Peeters", "password": "Bakker-Peeters-42", "password_again": "Bakker-Peeters-42"}
    )
    assert response["Location"] == f"/my/{dossier.pk}/"
    assert "Bakkerij Peeters" in entrepreneur.get(response["Location"]).content.decode()
    user = User.objects.get(email="an@peeters.example")
    assert DossierAccess.objects.filter(user=user, firm=firm_a, dossier_id=dossier.pk).exists()
    dossier.refresh_from_db()
    assert dossier.status == "trial"
    assert timedelta(days=27) < dossier.trial_ends_at - timezone.now() <= timedelta(days=28)
    # Single use.
    assert Client(HTTP_HOST="firm-a.localhost").get(path).status_code == 410


def test_resending_invalidates_the_previous_link(logged_in_a):
    dossier = make_dossier()
    invite(logged_in_a, dossier)
    invite(logged_in_a, dossier)
    first, second = (link_in(m).removeprefix("http://firm-a.localhost") for m in mail.outbox)
    assert Client(HTTP_HOST="firm-a.localhost").get(first).status_code == 410
    assert Client(HTTP_HOST="firm-a.localhost").get(second).status_code == 200


def test_expired_link_is_refused(logged_in_a):
    dossier = make_dossier()
    invite(logged_in_a, dossier)
    DossierInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    path = link_in(mail.outbox[0]).removeprefix("http://firm-a.localhost")
    response = Client(HTTP_HOST="firm-a.localhost").post(
        path, {"full_name": "X", "password": "Bakker-Peeters-42", "password_again": "Bakker-Peeters-42"}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="an@peeters.example").exists()


def test_link_of_firm_a_does_not_work_on_firm_b(logged_in_a):
    invite(logged_in_a, make_dossier())
    path = link_in(mail.outbox[0]).removeprefix("http://firm-a.localhost")
    assert Client(HTTP_HOST="firm-b.localhost").get(path).status_code == 410


def test_many_dossiers_invited_at_once_and_missing_email_reported(logged_in_a):
    a = make_dossier()
    b = make_dossier(name="Garage Claes", enterprise_number="0202239951", email="info@claes.example", language="nl")
    c = make_dossier(name="Zonder Mail", enterprise_number="0417497106", email="")
    response = invite(logged_in_a, a, b, c)
    assert len(mail.outbox) == 2
    assert response.status_code == 302
    assert Dossier.objects.get(pk=c.pk).status == "not_invited"
