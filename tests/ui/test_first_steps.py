"""A new firm's dashboard checklist ticks each step itself, from the data, and disappears once all are done."""

import pytest
from django.db import connection, connections
from django.test import Client

from branding.models import Branding
from dossiers.models import Dossier
from firms.first_steps import checklist, first_steps
from firms.models import Firm, Membership, User
from firms.services import NewFirm, create_firm, firm_host
from sync_api.models import AgentHeartbeat, SyncKey

from ..conftest import PASSWORD


@pytest.fixture(scope="module")
def new_firm(firms, django_db_blocker):
    with django_db_blocker.unblock():
        firm, _owner = create_firm(
            NewFirm(
                "Kantoor Nieuw", "kantoor-nieuw", "0417497106", "Nieuwe Eigenaar", "owner-new@example.com", PASSWORD
            )
        )
        connection.set_schema_to_public()
        connections.close_all()
    return firm


@pytest.fixture
def in_new_firm(new_firm, db):
    connection.set_tenant(new_firm)
    yield Firm.objects.get(pk=new_firm.pk)
    connection.set_schema_to_public()


def done(firm):
    return {step.key for step in first_steps(firm) if step.done}


def test_a_new_firm_starts_with_every_step_open(in_new_firm):
    assert done(in_new_firm) == set()
    assert [step.key for step in checklist(in_new_firm)] == ["profile", "team", "dossiers", "billsync", "branding"]


def test_each_step_ticks_itself_and_the_list_goes_when_all_are_done(in_new_firm):
    firm = in_new_firm
    firm.vat_number, firm.street = "BE0417497106", "Kerkstraat 1"
    firm.save()
    assert done(firm) == {"profile"}

    colleague = User.objects.create_user("colleague-new@example.com", PASSWORD, full_name="Collega")
    Membership.objects.create(user=colleague, firm=firm, role=Membership.Role.STAFF)
    Dossier.objects.create(enterprise_number="0403170701", name="Bakkerij Test")
    assert done(firm) == {"profile", "team", "dossiers"}

    key = SyncKey.objects.create(firm=firm, name="server", prefix="abcd1234", key_hash="x" * 64)
    assert "billsync" not in done(firm), "a key alone is not a working agent"
    AgentHeartbeat.objects.create(key=key)
    Branding.objects.create(firm=firm)
    assert done(firm) == {"profile", "team", "dossiers", "billsync", "branding"}
    assert checklist(firm) is None


def test_the_dashboard_shows_the_checklist_with_links(in_new_firm):
    client = Client(HTTP_HOST=firm_host("kantoor-nieuw"))
    client.cookies["portal_language"] = "nl"
    client.force_login(User.objects.get(email="owner-new@example.com"))
    Dossier.objects.create(enterprise_number="0403170701", name="Bakkerij Test")
    page = client.get("/dashboard/").content.decode()
    assert "Eerste stappen" in page
    assert "1 van 5 gedaan" in page
    assert '<li class="done" data-step="dossiers"><a href="/dossiers/">' in page
    assert '<li class="" data-step="profile"><a href="/settings/profile/">' in page


def test_staff_do_not_get_the_owners_checklist(in_new_firm):
    colleague = User.objects.create_user("staff-new@example.com", PASSWORD, full_name="Collega")
    Membership.objects.create(user=colleague, firm=in_new_firm, role=Membership.Role.STAFF)
    client = Client(HTTP_HOST=firm_host("kantoor-nieuw"))
    client.force_login(colleague)
    assert 'id="first-steps"' not in client.get("/dashboard/").content.decode()
