"""Bank statements go along with the documents: only of accounts connected through KBC or Billbank, at the
moment the dossier's policy says, as `.cod` files in the CODA folder with their original bytes."""

from datetime import date

import pytest
from django.core.files.storage import default_storage

from banking.models import Connection
from banking.services import add_account, ingest_coda
from exports.models import ExportItem, ExportSettings, Kind, Policy
from exports.services import ManualChoice, export_manually, preview_manual_export, queue_due_items, submit_for_export
from tests.banking.factories import IBAN, chain

from .conftest import at


@pytest.fixture
def statements(dossier):
    """Three daily statements of 30 September to 2 October 2026 on a KBC account."""
    add_account(dossier, IBAN, connection_kind=Connection.KBC)
    for data in chain(3, start=date(2026, 9, 30)):
        ingest_coda(dossier, data, "kbc.cod")
    return dossier


def test_month_end_queues_the_statements_of_ended_months_as_cod_files(statements):
    queue_due_items(at("2026-10-15T12:00:00+02:00"))
    items = list(ExportItem.objects.filter(kind=Kind.CODA))
    assert len(items) == 1  # only the statement dated 30 September
    item = items[0]
    assert item.path.startswith(f"D{statements.pk}/CODA/") and item.path.endswith(f"-{IBAN}-2026-001.cod")
    with default_storage.open(item.file, "rb") as stored:
        original = stored.read()
    assert original == chain(3, start=date(2026, 9, 30))[0]
    assert item.sha256 == item.statement.sha256 and item.size == len(original)


def test_after_ten_minutes_statements_go_as_they_arrive(statements):
    ExportSettings.objects.update_or_create(dossier=statements, defaults=dict(policy=Policy.AFTER_TEN_MINUTES))
    assert queue_due_items(at("2026-10-02T12:00:00+02:00")) == {statements: 3}
    assert queue_due_items(at("2026-10-02T12:01:00+02:00")) == {}


def test_statements_uploaded_for_an_account_without_bank_connection_stay_in_the_portal(dossier):
    for data in chain(2, start=date(2026, 9, 1)):
        ingest_coda(dossier, data, "upload.cod")  # unknown account: added as connected by upload
    assert queue_due_items(at("2026-11-01T12:00:00+01:00")) == {}
    assert preview_manual_export(dossier, ManualChoice(None, None, (Kind.CODA,)))[Kind.CODA] == 0


def test_manual_export_of_coda_by_statement_date(statements, owner_a):
    choice = ManualChoice(date(2026, 10, 1), date(2026, 10, 31), (Kind.CODA,))
    assert preview_manual_export(statements, choice)[Kind.CODA] == 2
    batch = export_manually(statements, choice, owner_a)
    assert sorted(item.statement.number for item in batch.items.all()) == [2, 3]


def test_with_approval_statements_wait_for_the_submission(statements):
    ExportSettings.objects.update_or_create(
        dossier=statements, defaults=dict(policy=Policy.AFTER_TEN_MINUTES, needs_approval=True)
    )
    assert queue_due_items(at("2026-10-05T12:00:00+02:00")) == {}
    submit_for_export(statements, None, period_until=date(2026, 9, 30))
    queue_due_items(at("2026-10-05T12:01:00+02:00"))
    assert list(ExportItem.objects.values_list("statement__number", flat=True)) == [1]
