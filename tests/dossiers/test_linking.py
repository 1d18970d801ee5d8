"""Link requests across two firms: accept moves the dossier with all its data; decline and expiry change
nothing."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from documents.models import Document, DocumentAllowanceCharge, Finding, InboxItem
from dossiers.models import AuditEntry, Contact, Dossier, Product
from firms.models import DirectoryEntry, DossierAccess, LinkRequest, User
from firms.services import issue_handoff

from ..conftest import PASSWORD

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")

NUMBER = "0417497106"


def client_business_at_firm_b(firm_b):
    """Firm B keeps the dossier, with data, and its entrepreneur has an account."""
    with schema_context(firm_b.schema_name):
        old = Dossier.objects.create(
            name="Slagerij Maes", enterprise_number=NUMBER, email="jan@maes.example", status="active", city="Hasselt"
        )
        klant = Contact.objects.create(dossier=old, kind="customer", name="Klant 1", vat_number="BE0403170701")
        Contact.objects.create(dossier=old, kind="supplier", name="Leverancier 1", reference="L1")
        Product.objects.create(dossier=old, reference="P1", name="Gehakt", unit_price="12.5000")
        document = Document.objects.create(
            dossier=old,
            direction="purchase",
            number="F-1",
            tax_exclusive="100.00",
            tax_total="21.00",
            payable="121.00",
            status="final",
            is_valid=True,
            ubl="documents/x.xml",
            ubl_sha256="a" * 64,
            ubl_size=10,
        )
        Finding.objects.create(document=document, layer="PEPPOL", rule="R-1", flag="warning", message="m")
        draft = Document.objects.create(
            dossier=old,
            direction="sales",
            status="draft",
            customer=klant,
            tax_exclusive="90.00",
            tax_total="18.90",
            payable="108.90",
        )
        DocumentAllowanceCharge.objects.create(
            document=draft, position=1, is_charge=False, reason="Vaste klant", amount="10.00"
        )
        InboxItem.objects.create(
            dossier=old,
            file="inbox/scan.pdf",
            content_type="application/pdf",
            sha256="b" * 64,
            size=100,
            original_name="scan.pdf",
        )
    DirectoryEntry.objects.create(firm=firm_b, dossier_id=old.pk, enterprise_number=NUMBER)
    user = User.objects.create_user("jan@maes.example", PASSWORD, full_name="Jan Maes", language="nl")
    DossierAccess.objects.create(user=user, firm=firm_b, dossier_id=old.pk)
    return old, user


def firm_a_asks(logged_in_a, firm_a):
    connection.set_tenant(firm_a)
    new = Dossier.objects.create(name="Maes", enterprise_number=NUMBER)
    Document.objects.create(
        dossier=new, direction="sales", status="draft", tax_exclusive="1.00", tax_total="0.21", payable="1.21"
    )  # a draft of its own, already in the new firm
    page = logged_in_a.get(f"/dossiers/{new.pk}/").content.decode()
    assert "Firm B" not in page  # told that an account exists, not where
    response = logged_in_a.post(f"/dossiers/{new.pk}/link-request/")
    assert response.status_code == 302
    return new


def entrepreneur_on_b(user):
    client = Client(HTTP_HOST="firm-b.localhost")
    client.force_login(user)
    return client


def test_accept_moves_dossier_with_all_data_and_old_firm_keeps_nothing(logged_in_a, firm_a, firm_b):
    old, user = client_business_at_firm_b(firm_b)
    new = firm_a_asks(logged_in_a, firm_a)
    assert [m.to for m in mail.outbox] == [["jan@maes.example"]]
    assert "Firm A" in mail.outbox[0].subject

    client = entrepreneur_on_b(user)
    home = client.get("/my/").content.decode()
    assert "Firm A" in home
    link = LinkRequest.objects.get()
    response = client.post(f"/my/link-requests/{link.pk}/accept/")
    assert response["Location"].startswith("http://firm-a.localhost/accounts/handoff/")

    connection.set_tenant(firm_a)
    moved = Dossier.objects.get(pk=new.pk)
    assert (moved.name, moved.city, moved.status) == ("Slagerij Maes", "Hasselt", "active")
    assert sorted(moved.contacts.values_list("name", flat=True)) == ["Klant 1", "Leverancier 1"]
    assert list(moved.products.values_list("reference", flat=True)) == ["P1"]
    document = Document.objects.get(dossier=moved, direction="purchase")
    assert (document.number, document.payable, document.ubl.name) == ("F-1", Decimal("121.00"), "documents/x.xml")
    drafts = Document.objects.filter(dossier=moved, status="draft").order_by("payable")
    assert [d.payable for d in drafts] == [Decimal("1.21"), Decimal("108.90")]  # both drafts, none lost
    assert list(drafts[1].allowances_charges.values_list("reason", "amount")) == [("Vaste klant", Decimal("10.00"))]
    assert drafts[1].customer == Contact.objects.get(dossier=moved, name="Klant 1")  # the new firm's contact
    assert list(InboxItem.objects.filter(dossier=moved).values_list("original_name", flat=True)) == ["scan.pdf"]
    assert list(document.findings.values_list("rule", flat=True)) == ["R-1"]
    assert AuditEntry.objects.filter(dossier=moved, action="moved_in").exists()
    assert DossierAccess.objects.filter(user=user, firm=firm_a, dossier_id=new.pk).exists()
    assert not DossierAccess.objects.filter(firm=firm_b).exists()

    with schema_context(firm_b.schema_name):
        assert not Dossier.objects.filter(enterprise_number=NUMBER).exists()
        assert Contact.objects.count() == 0 and Product.objects.count() == 0 and Document.objects.count() == 0
        assert AuditEntry.objects.filter(enterprise_number=NUMBER, action="moved_out").exists()
    assert not DirectoryEntry.objects.filter(firm=firm_b).exists()
    # The old firm's host no longer lets the entrepreneur in.
    assert entrepreneur_on_b(user).get("/my/").status_code == 302
    assert LinkRequest.objects.get().state == "accepted"


def test_decline_changes_nothing(logged_in_a, firm_a, firm_b):
    old, user = client_business_at_firm_b(firm_b)
    new = firm_a_asks(logged_in_a, firm_a)
    link = LinkRequest.objects.get()
    entrepreneur_on_b(user).post(f"/my/link-requests/{link.pk}/decline/")
    assert LinkRequest.objects.get().state == "declined"
    with schema_context(firm_b.schema_name):
        assert Dossier.objects.get(pk=old.pk).contacts.count() == 2
    assert DossierAccess.objects.filter(firm=firm_b, dossier_id=old.pk).exists()
    connection.set_tenant(firm_a)
    assert Dossier.objects.get(pk=new.pk).contacts.count() == 0


def test_expired_request_cannot_be_accepted(logged_in_a, firm_a, firm_b):
    old, user = client_business_at_firm_b(firm_b)
    firm_a_asks(logged_in_a, firm_a)
    LinkRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    link = LinkRequest.objects.get()
    entrepreneur_on_b(user).post(f"/my/link-requests/{link.pk}/accept/")
    assert LinkRequest.objects.get().state == "pending"
    with schema_context(firm_b.schema_name):
        assert Dossier.objects.filter(pk=old.pk).exists()


def test_someone_else_cannot_answer(logged_in_a, firm_a, firm_b, owner_b):
    client_business_at_firm_b(firm_b)
    firm_a_asks(logged_in_a, firm_a)
    link = LinkRequest.objects.get()
    other = Client(HTTP_HOST="firm-b.localhost")
    other.force_login(owner_b)
    other.post(f"/my/link-requests/{link.pk}/accept/")
    assert LinkRequest.objects.get().state == "pending"


def test_no_request_without_account_elsewhere(logged_in_a, firm_a):
    new = Dossier.objects.create(name="Alleen", enterprise_number=NUMBER)
    logged_in_a.post(f"/dossiers/{new.pk}/link-request/")
    assert not LinkRequest.objects.exists()
    assert not re.search("link", str([m.subject for m in mail.outbox]))


def test_accepting_lands_logged_in_at_the_new_firm_with_a_message(logged_in_a, firm_a, firm_b):
    old, user = client_business_at_firm_b(firm_b)
    firm_a_asks(logged_in_a, firm_a)
    link = LinkRequest.objects.get()
    location = entrepreneur_on_b(user).post(f"/my/link-requests/{link.pk}/accept/")["Location"]
    path = location.removeprefix("http://firm-a.localhost")

    on_a = Client(HTTP_HOST="firm-a.localhost")
    response = on_a.get(path, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == user  # logged in on the new firm's host, no password asked
    body = response.content.decode()
    assert "Je hebt het verzoek van Firm A aanvaard" in body
    assert "Firm B heeft er geen toegang meer toe" in body
    # Said once: a reload, or the flag typed again by someone else, shows nothing.
    assert "Je hebt het verzoek" not in on_a.get("/my/", follow=True).content.decode()
    other = User.objects.create_user("piet@example.com", PASSWORD, full_name="Piet", language="nl")
    DossierAccess.objects.create(user=other, firm=firm_a, dossier_id=link.to_dossier_id)
    stranger = Client(HTTP_HOST="firm-a.localhost")
    stranger.force_login(other)
    assert "Je hebt het verzoek" not in stranger.get(f"/my/?linked={link.pk}", follow=True).content.decode()
    # The hand-off lands only on a path of its own host: another host in `next` goes to the start page.
    token = issue_handoff(user, firm_a)
    response = Client(HTTP_HOST="firm-a.localhost").get(f"/accounts/handoff/{token}/?next=http://evil.example/")
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_accepting_says_so_in_french(logged_in_a, firm_a, firm_b):
    old, user = client_business_at_firm_b(firm_b)
    User.objects.filter(pk=user.pk).update(language="fr")
    firm_a_asks(logged_in_a, firm_a)
    link = LinkRequest.objects.get()
    location = entrepreneur_on_b(user).post(f"/my/link-requests/{link.pk}/accept/")["Location"]
    with translation.override("nl"):  # the page's language stays with this test
        body = Client(HTTP_HOST="firm-a.localhost").get(location.removeprefix("http://firm-a.localhost"), follow=True)
    assert "Vous avez accepté la demande de Firm A" in body.content.decode()
