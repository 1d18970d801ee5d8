"""A firm with its own host (white label) sends invitation, activation, link-request, team and password-reset
links on that host, not on the platform's sub-domain; without one, on its default host."""

import re

import pytest
from django.core import mail
from django.test import Client

from branding.services import set_custom_host
from dossiers.models import Dossier

from .test_linking import client_business_at_firm_b, firm_a_asks

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")

HOST = "mijn.firm-a.example"


def link_in(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


def test_the_invitation_and_activation_link_use_the_custom_host(logged_in_a, firm_a):
    set_custom_host(firm_a, HOST)
    dossier = Dossier.objects.create(name="Peeters", enterprise_number="0403170701", email="an@peeters.example")
    logged_in_a.post("/dossiers/invite/", {"dossier": [dossier.pk]})
    link = link_in(mail.outbox[-1])
    assert link.startswith(f"http://{HOST}/activate/")
    # The link works on that host: it is one of the firm's.
    assert Client(HTTP_HOST=HOST).get(link.removeprefix(f"http://{HOST}")).status_code == 200


def test_without_a_custom_host_the_default_host_is_used(logged_in_a, firm_a):
    dossier = Dossier.objects.create(name="Peeters", enterprise_number="0403170701", email="an@peeters.example")
    logged_in_a.post("/dossiers/invite/", {"dossier": [dossier.pk]})
    assert link_in(mail.outbox[-1]).startswith("http://firm-a.localhost/activate/")


def test_team_invitations_and_password_resets_use_the_custom_host(logged_in_a, firm_a, client_a):
    set_custom_host(firm_a, HOST)
    logged_in_a.post("/settings/team/", {"email": "new.staff@example.com"})
    assert link_in(mail.outbox[-1]).startswith(f"http://{HOST}/join/")
    Client(HTTP_HOST="firm-a.localhost").post("/accounts/password-reset/", {"email": "owner-a@example.com"})
    assert link_in(mail.outbox[-1]).startswith(f"http://{HOST}/accounts/reset/")


def test_a_link_request_points_to_the_custom_host_of_the_entrepreneurs_firm(logged_in_a, firm_a, firm_b):
    client_business_at_firm_b(firm_b)
    set_custom_host(firm_b, "mijn.firm-b.example")
    firm_a_asks(logged_in_a, firm_a)
    assert link_in(mail.outbox[-1]).startswith("http://mijn.firm-b.example/my/")
