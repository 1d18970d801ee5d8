"""Invitation mails carry the firm's branding: name, logo (absolute URL on the firm's host) and colours."""

import pytest
from django.core import mail

from branding.models import Branding
from branding.services import BrandingInput, save_branding
from dossiers.models import Dossier

from .conftest import form_data, png, upload

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")


def brand(client):
    client.post(
        "/settings/branding/",
        {**form_data(main_colour="#5a189a", button_colour="#d00000"), "logo": upload("logo.png", png())},
    )


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def test_staff_invitation_mail_is_branded(logged_in_a, firm_a):
    brand(logged_in_a)
    logged_in_a.post("/settings/team/", {"email": "new-colleague@example.com"})
    html = html_of(mail.outbox[-1])
    logo = Branding.objects.get(firm=firm_a).logo.rsplit("/", 1)[1]
    assert f'src="http://firm-a.localhost/branding/files/{logo}"' in html
    assert "background:#5a189a;color:#ffffff" in html and "Firm A" in html
    assert "background:#d00000;color:#ffffff" in html  # the button


def test_dossier_invitation_mail_is_branded(logged_in_a, firm_a):
    brand(logged_in_a)
    dossier = Dossier.objects.create(
        name="Bakkerij Peeters", enterprise_number="0403170701", email="an@peeters.example", language="fr"
    )
    logged_in_a.post("/dossiers/invite/", {"dossier": [dossier.pk]})
    html = html_of(mail.outbox[-1])
    assert 'src="http://firm-a.localhost/branding/files/logo-' in html
    assert "background:#5a189a" in html and "background:#d00000" in html
    assert "Activez votre accès" in html or "Activer" in html


def test_another_firm_mail_does_not_carry_this_firm_branding(firm_a, firm_b, client_b):
    save_branding(firm_a, BrandingInput(main_colour="#5a189a"))
    from firms.models import User

    client_b.force_login(User.objects.get(email="owner-b@example.com"))
    client_b.post("/settings/team/", {"email": "someone@example.com"})
    html = html_of(mail.outbox[-1])
    assert "Firm B" in html and "#5a189a" not in html and "background:#1f4e79" in html
