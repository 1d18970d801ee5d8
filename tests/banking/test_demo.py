"""The demo bank: consistent CODA day by day that passes the oracle, pays the sales invoices, and fetching is
harmless to repeat."""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from banking.coda import read_coda
from banking.gaps import gaps_for_dossier
from banking.models import BankAccount, Connection, Movement
from banking.providers.demo import DemoProvider
from banking.services import add_account, fetch_statements, ingest_coda
from banking.tasks import fetch_account
from documents.models import Document
from dossiers.models import Contact, Dossier


@pytest.fixture
def dossier(firm_a):
    dossier = Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0202239951")
    customer = Contact.objects.create(
        dossier=dossier, kind="customer", name="Hotel Du Parc NV", iban="BE71096123456769"
    )
    Contact.objects.create(dossier=dossier, kind="supplier", name="Molens Dedobbeleer")
    Document.objects.create(
        dossier=dossier,
        direction="sales",
        number="2026-0001",
        customer=customer,
        counterparty_name=customer.name,
        issue_date=timezone.localdate() - timedelta(days=35),
        tax_exclusive=Decimal("100.00"),
        tax_total=Decimal("21.00"),
        payable=Decimal("121.00"),
        status="final",
        payment_reference="+++020/2239/95102+++",
    )
    return dossier


@pytest.fixture
def account(dossier):
    return add_account(dossier, "BE71096123456769", bic="GKCCBEBB", connection_kind=Connection.KBC)


def test_demo_statements_pass_the_oracle_and_chain(account, oracle_python, shared_dir, tmp_path):
    files = DemoProvider().fetch_new_statements(account, None)
    assert len(files) > 20
    for index, data in enumerate(files):
        (tmp_path / f"{index:03d}.cod").write_bytes(data)
    done = subprocess.run(
        [str(oracle_python), str(shared_dir / "oracles" / "check_coda.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout
    statements = [s for data in files for s in read_coda(data)]
    for before, after in zip(statements, statements[1:], strict=False):
        assert after.old_balance == before.new_balance
        assert after.number == before.number + 1 or (after.number == 1 and after.year == before.year + 1)


def test_fetching_stores_the_days_once_and_pays_the_invoice(account, dossier):
    results = fetch_statements(account)
    assert results and all(result.outcome == "stored" for result in results)
    assert gaps_for_dossier(dossier.pk) == []
    paid = Movement.objects.get(communication="020223995102", structured=True)
    assert paid.amount == Decimal("121.00") and paid.counterparty_name == "Hotel Du Parc NV"
    assert paid.communication_display == "+++020/2239/95102+++"
    assert fetch_statements(account) == []  # up to date
    again = [ingest_coda(dossier, data, "again.cod") for data in DemoProvider().fetch_new_statements(account, None)]
    assert again == []  # the provider starts after the last statement


def test_the_task_fetches_in_the_firms_schema(account):
    fetch_account.apply(args=[account.pk])  # runs here, in the current schema
    assert BankAccount.objects.get(pk=account.pk).statements.exists()


def test_live_kbc_refuses_clearly(account, settings):
    from banking.providers import ProviderNotConfigured

    settings.BANK_FEEDS = "live"
    with pytest.raises(ProviderNotConfigured, match="not configured"):
        fetch_statements(account)
