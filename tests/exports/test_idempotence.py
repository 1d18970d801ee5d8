"""Runs repeated, run concurrently, or interrupted half-way: each document is queued exactly once."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from exports import services
from exports.models import ExportItem

from .conftest import DocumentFactory, DossierFactory, at

MONTH_END = at("2026-12-01T00:30:00+01:00")


def test_two_concurrent_runs_produce_one_set_of_items(committed_firm):
    dossiers = [DossierFactory(name=f"Race {n}") for n in range(4)]
    for dossier in dossiers:
        for day in range(1, 11):
            DocumentFactory(dossier=dossier, issue_date=date(2026, 11, day))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            connection.set_tenant(committed_firm)
            barrier.wait()
            results.append(services.queue_due_items(MONTH_END))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert ExportItem.objects.filter(dossier__in=dossiers).count() == 40
    assert ExportItem.objects.values("document", "path").distinct().count() == 40
    assert sum(sum(result.values()) for result in results) == 40


def test_a_run_that_crashes_half_way_is_completed_by_the_next(committed_firm, monkeypatch):
    dossiers = [DossierFactory(name=f"Race {n}") for n in range(3)]
    for dossier in dossiers:
        DocumentFactory(dossier=dossier, issue_date=date(2026, 11, 5))
        DocumentFactory(dossier=dossier, issue_date=date(2026, 11, 6))
    real_queue = services._queue
    calls = []

    def crash_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real_queue(*args, **kwargs)

    monkeypatch.setattr(services, "DOSSIERS_PER_TRANSACTION", 1)
    monkeypatch.setattr(services, "_queue", crash_on_second)
    with pytest.raises(SystemExit):
        services.queue_due_items(MONTH_END)
    assert ExportItem.objects.filter(dossier__in=dossiers).count() == 2
    monkeypatch.setattr(services, "_queue", real_queue)
    services.queue_due_items(MONTH_END)
    services.queue_due_items(MONTH_END)
    assert ExportItem.objects.filter(dossier__in=dossiers).count() == 6
    assert ExportItem.objects.values("document").distinct().count() == 6


def test_the_database_refuses_a_second_open_item_for_the_same_target(dossier, owner_a):
    from django.db import IntegrityError, transaction

    DocumentFactory(dossier=dossier, issue_date=date(2026, 11, 5))
    services.queue_due_items(MONTH_END)
    item = ExportItem.objects.get()
    item.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()
