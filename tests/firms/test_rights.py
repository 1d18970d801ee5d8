"""The rights table (docs/permissions.md) per role: what leaves for the books (keep, move, export anyway, delete a
received document, a bank account's connection) is the firm's decision; an entrepreneur uploads and enters."""

import pytest
from django.test import Client

from banking.models import BankAccount, Connection
from documents.models import Document, DocumentStatus
from dossiers.models import Dossier
from firms.models import DossierAccess, User
from firms.permissions import ENTREPRENEUR, RIGHTS, Permission
from tests.factories import DocumentFactory

from ..conftest import PASSWORD

ROLES = ("owner", "staff", "entrepreneur", "acting")  # acting: an accountant in the entrepreneur's view
FIRM_DECIDES = {"owner": True, "staff": True, "entrepreneur": False, "acting": True}


def test_the_table_in_code():
    assert RIGHTS[Permission.DECIDE] == {"owner", "staff"}
    assert ENTREPRENEUR in RIGHTS[Permission.ENTER] and ENTREPRENEUR not in RIGHTS[Permission.WORK]


@pytest.fixture
def dossier(firm_a):
    return Dossier.objects.create(name="Bakkerij", enterprise_number="0403170701")


@pytest.fixture
def as_role(firm_a, owner_a, staff_a, dossier):
    def client_for(role: str) -> Client:
        client = Client(HTTP_HOST="firm-a.localhost")
        if role == "entrepreneur":
            user = User.objects.create_user("an@bakkerij.example", PASSWORD, full_name="An")
            DossierAccess.objects.create(user=user, firm=firm_a, dossier_id=dossier.pk)
            client.force_login(user)
        else:
            client.force_login(staff_a if role == "staff" else owner_a)
        if role == "acting":
            client.post(f"/dossiers/{dossier.pk}/open-as-entrepreneur/")
        return client

    return client_for


def held(dossier, **fields) -> Document:
    return DocumentFactory(dossier=dossier, status=DocumentStatus.NEEDS_ATTENTION, **fields)


@pytest.mark.parametrize("role", ROLES)
def test_keep(as_role, dossier, role):
    document = held(dossier, wrong_buyer=True)
    response = as_role(role).post(f"/dossiers/{dossier.pk}/documents/{document.pk}/keep/")
    document.refresh_from_db()
    assert (response.status_code, document.held_back) == ((302, False) if FIRM_DECIDES[role] else (403, True))


@pytest.mark.parametrize("role", ROLES)
def test_delete_a_received_document(as_role, dossier, role):
    document = held(dossier, buyer_unidentified=True)
    response = as_role(role).post(f"/dossiers/{dossier.pk}/documents/{document.pk}/delete/")
    assert response.status_code == (302 if FIRM_DECIDES[role] else 403)
    assert Document.objects.filter(pk=document.pk).exists() is not FIRM_DECIDES[role]


@pytest.mark.parametrize("role", ROLES)
def test_move(as_role, dossier, role):
    other = Dossier.objects.create(name="Ander", enterprise_number="0202239951")
    document = held(dossier, buyer_unidentified=True)
    client = as_role(role)
    assert client.get(f"/dossiers/{dossier.pk}/documents/{document.pk}/move/").status_code == (
        200 if FIRM_DECIDES[role] else 403
    )
    response = client.post(f"/dossiers/{dossier.pk}/documents/{document.pk}/move/", {"dossier": other.pk})
    document.refresh_from_db()
    assert response.status_code == (302 if FIRM_DECIDES[role] else 403)
    assert (document.dossier == other) is FIRM_DECIDES[role]


@pytest.mark.parametrize("role", ROLES)
def test_export_anyway(as_role, dossier, role):
    document = held(dossier, is_valid=False)
    response = as_role(role).post(
        f"/dossiers/{dossier.pk}/documents/{document.pk}/export-anyway/", {"reason": "BOB leest het"}
    )
    document.refresh_from_db()
    assert response.status_code == (302 if FIRM_DECIDES[role] else 403)
    assert document.is_released is FIRM_DECIDES[role]


@pytest.mark.parametrize("role", ROLES)
def test_change_a_bank_accounts_connection(as_role, dossier, role):
    account = BankAccount.objects.create(dossier=dossier, iban="BE68539007547034", connection=Connection.UPLOAD)
    client = as_role(role)
    page = client.get(f"/dossiers/{dossier.pk}/bank/{account.pk}/")
    assert page.status_code == 200
    response = client.post(
        f"/dossiers/{dossier.pk}/bank/{account.pk}/", {"connection": "kbc", "bic": "", "bank_name": ""}
    )
    account.refresh_from_db()
    assert response.status_code == (302 if FIRM_DECIDES[role] else 403)
    assert (account.connection == Connection.KBC) is FIRM_DECIDES[role]


def test_an_entrepreneurs_new_account_is_uploaded_by_hand_whatever_is_posted(as_role, dossier):
    client = as_role("entrepreneur")
    response = client.post(
        f"/dossiers/{dossier.pk}/bank/",
        {"add": "1", "add-iban": "be71 0961 2345 6769", "add-currency": "EUR", "add-connection": "kbc", "add-bic": ""},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert BankAccount.objects.get(dossier=dossier).connection == Connection.UPLOAD


@pytest.mark.parametrize("role", ROLES)
def test_everyone_with_the_dossier_enters_and_uploads(as_role, dossier, role):
    """An entrepreneur uploads and enters: the documents tab, quick entry, and deleting their own sales draft."""
    client = as_role(role)
    assert client.get(f"/dossiers/{dossier.pk}/documents/").status_code == 200
    assert client.get(f"/dossiers/{dossier.pk}/quick-entry/").status_code == 200
    draft = DocumentFactory(dossier=dossier, direction="sales", status=DocumentStatus.DRAFT)
    assert client.post(f"/dossiers/{dossier.pk}/documents/{draft.pk}/delete/").status_code == 302
    assert not Document.objects.filter(pk=draft.pk).exists()


def test_the_entrepreneur_sees_no_decision_buttons(as_role, dossier):
    document = held(dossier, buyer_unidentified=True, buyer_name="Iemand")
    page = as_role("entrepreneur").get(f"/dossiers/{dossier.pk}/documents/{document.pk}/").content.decode()
    assert "/keep/" not in page and "/move/" not in page and "/delete/" not in page
    page = as_role("owner").get(f"/dossiers/{dossier.pk}/documents/{document.pk}/").content.decode()
    assert "/keep/" in page and "/move/" in page and "/delete/" in page
