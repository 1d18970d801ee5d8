"""The Bank tab, statements and the firm-wide list, for the accountant and the dossier's entrepreneur."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banking.models import BankAccount, CodaStatement
from banking.services import ingest_coda
from dossiers.models import Dossier
from firms.models import DossierAccess, User

from ..conftest import PASSWORD
from .factories import chain


@pytest.fixture
def dossier(firm_a):
    return Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0202239951")


@pytest.fixture
def entrepreneur(firm_a, dossier):
    user = User.objects.create_user("an@bakkerij.example", PASSWORD, full_name="An Peeters")
    DossierAccess.objects.create(user=user, firm=firm_a, dossier_id=dossier.pk)
    return user


def test_the_accountant_sees_accounts_gaps_and_statements(logged_in_a, dossier):
    files = chain(4)
    for data in files[:1] + files[2:]:
        ingest_coda(dossier, data, "x.cod")
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/bank/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "BE68 5390 0754 7034" in html and "2026/002" in html
    account = BankAccount.objects.get()
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/bank/{account.pk}/")
    assert page.status_code == 200 and "2026/004" in page.content.decode()
    statement = account.statements.get(number=3)
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/bank/{account.pk}/statements/{statement.pk}/")
    assert "+++020/2239/95102+++" in page.content.decode() and "Hotel Du Parc NV" in page.content.decode()
    download = logged_in_a.get(f"/dossiers/{dossier.pk}/bank/{account.pk}/statements/{statement.pk}/coda.cod")
    assert b"".join(download.streaming_content) == files[2]


def test_the_entrepreneur_uploads_and_sees_per_file_results(client_a, entrepreneur, dossier):
    client_a.force_login(entrepreneur)
    one, two = chain(2)
    response = client_a.post(
        f"/dossiers/{dossier.pk}/bank/",
        {
            "upload": "1",
            "upload-files": [
                SimpleUploadedFile("one.cod", one),
                SimpleUploadedFile("again.cod", one),
                SimpleUploadedFile("bad.cod", b"not coda"),
            ],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "one.cod" in html and "again.cod" in html and "bad.cod" in html
    assert "Line 1:" in html and "already received" in html
    assert CodaStatement.objects.count() == 1


def test_another_dossiers_entrepreneur_gets_nothing(client_a, firm_a, dossier):
    other = Dossier.objects.create(name="Garage Claes", enterprise_number="0417497106")
    user = User.objects.create_user("info@garage.example", PASSWORD, full_name="Garage")
    DossierAccess.objects.create(user=user, firm=firm_a, dossier_id=other.pk)
    ingest_coda(dossier, chain(1)[0], "x.cod")
    account = BankAccount.objects.get()
    client_a.force_login(user)
    assert client_a.get(f"/dossiers/{dossier.pk}/bank/").status_code == 404
    assert client_a.get(f"/dossiers/{other.pk}/bank/{account.pk}/").status_code == 404
    assert client_a.get("/bank-accounts/").status_code == 403


def test_a_wrong_iban_keeps_what_was_typed(logged_in_a, dossier):
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/bank/",
        {"add": "1", "add-iban": "BE68 5390 0754 7035", "add-currency": "EUR", "add-connection": "kbc"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "is not a valid IBAN" in html and 'value="BE68 5390 0754 7035"' in html
    assert not BankAccount.objects.exists()


def test_adding_a_kbc_account_shows_that_coda_flows(logged_in_a, dossier):
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/bank/",
        {"add": "1", "add-iban": "be71 0961 2345 6769", "add-currency": "EUR", "add-connection": "kbc"},
    )
    assert response.status_code == 302
    account = BankAccount.objects.get()
    assert account.iban == "BE71096123456769" and account.delivers_coda and account.bic == "GKCCBEBB"
    html = logged_in_a.get(f"/dossiers/{dossier.pk}/bank/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "CODA through KBC" in html


def test_the_firm_list_and_dashboard_show_gaps(logged_in_a, dossier):
    files = chain(3)
    for data in (files[0], files[2]):
        ingest_coda(dossier, data, "x.cod")
    with CaptureQueriesContext(connection) as queries:
        html = logged_in_a.get("/bank-accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bakkerij Peeters" in html and "2026/002" in html
    banking = [q for q in queries.captured_queries if "banking_" in q["sql"]]
    assert len(banking) == 3  # page count, the page of accounts, their gaps
    html = logged_in_a.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Missing bank statements" in html and f"/dossiers/{dossier.pk}/bank/" in html


@pytest.mark.parametrize("language, words", [("nl", "Bankrekeningen"), ("fr", "Comptes bancaires")])
def test_the_bank_tab_speaks_dutch_and_french(logged_in_a, dossier, language, words):
    from django.conf import settings

    logged_in_a.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert words in logged_in_a.get(f"/dossiers/{dossier.pk}/bank/").content.decode()
