"""When documents become items: per policy, at month ends in Brussels, 10 minutes after creation, after
approval; held-back documents never."""

from datetime import date, timedelta

import pytest

from documents.models import Direction, DocumentStatus
from exports.models import ExportItem, ExportSettings, ItemState, Policy
from exports.services import queue_due_items, submit_for_export

from .conftest import DocumentFactory, at


def queued_numbers(dossier):
    return sorted(ExportItem.objects.filter(dossier=dossier).values_list("document__number", flat=True))


def test_last_full_month_waits_until_the_month_has_ended_in_brussels(dossier):
    DocumentFactory(dossier=dossier, number="OCT", issue_date=date(2026, 10, 31))
    DocumentFactory(dossier=dossier, number="NOV", issue_date=date(2026, 11, 1))
    # 23:30 UTC on 31 October is already 00:30 on 1 November in Brussels (winter time, UTC+1).
    assert queue_due_items(at("2026-10-31T22:59:00+00:00")) == {}
    queue_due_items(at("2026-10-31T23:30:00+00:00"))
    assert queued_numbers(dossier) == ["OCT"]


def test_month_end_in_summer_time_counts_two_hours_ahead_of_utc(dossier):
    DocumentFactory(dossier=dossier, number="MAR", issue_date=date(2026, 3, 31))
    assert queue_due_items(at("2026-03-31T21:59:00+00:00")) == {}  # 23:59 in Brussels, still March
    queue_due_items(at("2026-03-31T22:00:00+00:00"))  # midnight in Brussels (UTC+2 since 29 March)
    assert queued_numbers(dossier) == ["MAR"]


def test_older_months_go_along_and_later_runs_add_nothing(dossier):
    DocumentFactory(dossier=dossier, number="JAN", issue_date=date(2026, 1, 5))
    DocumentFactory(dossier=dossier, number="OCT", issue_date=date(2026, 10, 5))
    first = queue_due_items(at("2026-11-01T08:00:00+01:00"))
    assert first == {dossier: 2}
    assert queue_due_items(at("2026-11-02T08:00:00+01:00")) == {}
    assert queued_numbers(dossier) == ["JAN", "OCT"]


def test_after_ten_minutes_counts_from_creation(dossier):
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(policy=Policy.AFTER_TEN_MINUTES))
    created = at("2026-11-20T10:00:00+01:00")
    DocumentFactory(dossier=dossier, number="NEW", issue_date=date(2026, 11, 20), created_at=created)
    assert queue_due_items(created + timedelta(minutes=9, seconds=59)) == {}
    assert queue_due_items(created + timedelta(minutes=10)) == {dossier: 1}


def test_never_queues_nothing_automatically(dossier):
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(policy=Policy.NEVER))
    DocumentFactory(dossier=dossier, issue_date=date(2025, 1, 1))
    assert queue_due_items(at("2026-12-31T12:00:00+01:00")) == {}


@pytest.mark.parametrize(
    "held_back",
    [
        {"is_valid": False, "status": DocumentStatus.NEEDS_ATTENTION},
        {"wrong_buyer": True, "status": DocumentStatus.NEEDS_ATTENTION},
        {"status": DocumentStatus.DRAFT, "direction": Direction.SALES},
    ],
)
def test_held_back_and_draft_documents_never_leave(dossier, held_back):
    DocumentFactory(dossier=dossier, issue_date=date(2026, 1, 1), **held_back)
    assert queue_due_items(at("2026-12-01T12:00:00+01:00")) == {}


def test_probable_duplicates_leave_only_once_confirmed(dossier):
    original = DocumentFactory(dossier=dossier, number="A", issue_date=date(2026, 1, 1))
    copy = DocumentFactory(dossier=dossier, number="A", issue_date=date(2026, 1, 1), duplicate_of=original)
    queue_due_items(at("2026-12-01T12:00:00+01:00"))
    assert list(ExportItem.objects.values_list("document", flat=True)) == [original.pk]
    copy.duplicate_confirmed = True
    copy.save()
    queue_due_items(at("2026-12-01T12:01:00+01:00"))
    assert ExportItem.objects.filter(document=copy).count() == 1


def test_archived_dossiers_are_left_alone(dossier):
    dossier.status = "archived"
    dossier.save()
    DocumentFactory(dossier=dossier, issue_date=date(2026, 1, 1))
    assert queue_due_items(at("2026-12-01T12:00:00+01:00")) == {}


def test_with_approval_nothing_leaves_until_the_entrepreneur_submits(dossier):
    ExportSettings.objects.update_or_create(
        dossier=dossier, defaults=dict(policy=Policy.LAST_FULL_MONTH, needs_approval=True)
    )
    DocumentFactory(dossier=dossier, number="SEP", issue_date=date(2026, 9, 10))
    DocumentFactory(dossier=dossier, number="OCT", issue_date=date(2026, 10, 10))
    assert queue_due_items(at("2026-11-05T12:00:00+01:00")) == {}
    submission = submit_for_export(dossier, None, period_until=date(2026, 9, 30))
    assert submission.document_count == 1
    queue_due_items(at("2026-11-05T12:01:00+01:00"))
    assert queued_numbers(dossier) == ["SEP"]


def test_submitted_documents_of_a_never_dossier_leave_at_the_next_run(dossier):
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(policy=Policy.NEVER, needs_approval=True))
    DocumentFactory(dossier=dossier, number="NOW", issue_date=date(2026, 11, 28))
    submit_for_export(dossier, None)
    assert queue_due_items(at("2026-11-28T12:00:00+01:00")) == {dossier: 1}


def test_submitting_twice_has_nothing_left_to_submit(dossier):
    from core.errors import PortalError

    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(needs_approval=True))
    DocumentFactory(dossier=dossier)
    submit_for_export(dossier, None)
    with pytest.raises(PortalError):
        submit_for_export(dossier, None)


def test_items_point_at_the_bob_folders_with_stable_names(dossier):
    ExportSettings.objects.update_or_create(
        dossier=dossier, defaults=dict(bob_reference="PEETERS", name_by_invoice_date=True)
    )
    purchase = DocumentFactory(dossier=dossier, number="INV 7", issue_date=date(2026, 10, 3))
    sale = DocumentFactory(
        dossier=dossier,
        number="2026/0001",
        direction=Direction.SALES,
        counterparty_name="Klant: NV",
        issue_date=date(2026, 10, 4),
    )
    queue_due_items(at("2026-11-01T01:00:00+01:00"))
    paths = dict(ExportItem.objects.values_list("document", "path"))
    assert paths[purchase.pk] == f"PEETERS/Demat/Aankopen/20261003-{purchase.pk:06d}-INV 7 Leverancier NV.xml"
    assert paths[sale.pk] == f"PEETERS/Demat/Verkopen/20261004-{sale.pk:06d}-2026-0001 Klant- NV.xml"
    item = ExportItem.objects.get(document=purchase)
    assert (item.sha256, item.size, item.state) == (purchase.ubl_sha256, purchase.ubl_size, ItemState.WAITING)
