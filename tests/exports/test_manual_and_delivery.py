"""Manual exports, delivery, failure and re-queueing, and locking after export."""

from datetime import date

import pytest

from core.errors import PortalError
from documents.models import Direction, Document, DocumentStatus
from documents.services import confirm_not_duplicate, delete_document
from exports.models import ExportItem, ExportSettings, ItemState, Kind
from exports.services import (
    ManualChoice,
    deliver_items,
    export_manually,
    mark_failed,
    preview_manual_export,
    queue_due_items,
    requeue_item,
)

from .conftest import DocumentFactory, at

BOTH = (Kind.SALES, Kind.PURCHASES)


def test_manual_export_takes_the_period_and_kinds_chosen(dossier, owner_a):
    DocumentFactory(dossier=dossier, number="P-SEP", issue_date=date(2026, 9, 1))
    DocumentFactory(dossier=dossier, number="P-OCT", issue_date=date(2026, 10, 1))
    DocumentFactory(dossier=dossier, number="S-OCT", issue_date=date(2026, 10, 2), direction=Direction.SALES)
    choice = ManualChoice(date(2026, 10, 1), date(2026, 10, 31), (Kind.PURCHASES,))
    assert preview_manual_export(dossier, choice) == {Kind.SALES: 0, Kind.PURCHASES: 1, Kind.CODA: 0}
    batch = export_manually(dossier, choice, owner_a)
    assert [item.document.number for item in batch.items.all()] == ["P-OCT"]
    assert batch.trigger == "manual" and batch.created_by == owner_a


def test_already_exported_documents_come_back_only_when_asked(dossier, owner_a):
    document = DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    first = export_manually(dossier, ManualChoice(None, None, BOTH), owner_a)
    assert deliver_items([first.items.get().pk], "agent")
    assert export_manually(dossier, ManualChoice(None, None, BOTH), owner_a) is None
    again = export_manually(dossier, ManualChoice(None, None, BOTH, include_exported=True), owner_a)
    item = again.items.get()
    assert item.document == document and item.path == first.items.get().path  # same name: overwrites nothing else


def test_a_waiting_item_is_not_doubled_by_include_exported(dossier, owner_a):
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    export_manually(dossier, ManualChoice(None, None, BOTH), owner_a)
    assert preview_manual_export(dossier, ManualChoice(None, None, BOTH, include_exported=True))[Kind.PURCHASES] == 0
    assert export_manually(dossier, ManualChoice(None, None, BOTH, include_exported=True), owner_a) is None
    assert ExportItem.objects.count() == 1


def test_manual_export_never_takes_held_back_documents(dossier, owner_a):
    DocumentFactory(dossier=dossier, is_valid=False, status=DocumentStatus.NEEDS_ATTENTION)
    assert preview_manual_export(dossier, ManualChoice(None, None, BOTH, include_exported=True)) == {
        Kind.SALES: 0,
        Kind.PURCHASES: 0,
        Kind.CODA: 0,
    }


def test_delivery_marks_the_document_exported_and_locks_it(dossier, owner_a):
    document = DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    item = export_manually(dossier, ManualChoice(None, None, BOTH), owner_a).items.get()
    assert deliver_items([item.pk], "bob-server")
    assert not deliver_items([item.pk], "bob-server")  # a repeated acknowledgement changes nothing
    document.refresh_from_db()
    assert document.status == DocumentStatus.EXPORTED and document.locked and document.exported_at
    item.refresh_from_db()
    assert (item.state, item.delivered_by) == (ItemState.DELIVERED, "bob-server")
    with pytest.raises(PortalError):
        delete_document(document, owner_a)
    with pytest.raises(PortalError):
        confirm_not_duplicate(document, owner_a)
    assert Document.objects.filter(pk=document.pk).exists()


def test_without_lock_an_exported_purchase_can_still_be_deleted(dossier, owner_a):
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(lock_after_export=False))
    document = DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    item = export_manually(dossier, ManualChoice(None, None, BOTH), owner_a).items.get()
    deliver_items([item.pk], "agent")
    document.refresh_from_db()
    assert document.status == DocumentStatus.EXPORTED and not document.locked
    delete_document(document, owner_a)
    assert not Document.objects.filter(pk=document.pk).exists()


def test_switching_lock_on_later_locks_what_was_already_exported(dossier, owner_a):
    """The lock is the dossier's setting, not a moment: turned on after an export, it holds for that one too."""
    from exports.services import save_settings

    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(lock_after_export=False))
    document = DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    waiting = DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 2))
    deliver_items(
        [export_manually(dossier, ManualChoice(date(2026, 10, 1), date(2026, 10, 1), BOTH), owner_a).items.get().pk],
        "agent",
    )
    save_settings(dossier, {"lock_after_export": True}, owner_a)
    document.refresh_from_db()
    waiting.refresh_from_db()
    assert document.locked and not waiting.locked
    with pytest.raises(PortalError):
        delete_document(document, owner_a)
    assert Document.objects.filter(pk=document.pk).exists()


def test_deleting_a_document_before_delivery_withdraws_its_item(dossier, owner_a):
    document = DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    export_manually(dossier, ManualChoice(None, None, BOTH), owner_a)
    delete_document(document, owner_a)
    assert not ExportItem.objects.exists()


def test_a_failed_item_shows_why_and_can_be_sent_again(dossier, owner_a):
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    item = export_manually(dossier, ManualChoice(None, None, BOTH), owner_a).items.get()
    assert mark_failed(item.pk, "permission_denied", "Access is denied: C:\\BOB50DATA\\REF")
    item.refresh_from_db()
    assert (item.state, item.error_code) == (ItemState.FAILED, "permission_denied")
    # The scheduled run does not queue a second item next to the failed one.
    assert queue_due_items(at("2026-12-01T12:00:00+01:00")) == {}
    requeue_item(item, owner_a)
    item.refresh_from_db()
    assert item.state == ItemState.WAITING and not item.error
    with pytest.raises(PortalError):
        requeue_item(item, owner_a)
