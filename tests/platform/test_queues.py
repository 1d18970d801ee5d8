"""Each kind of work on its own Celery queue, and scheduled runs that a second beat cannot double."""

import threading
from datetime import date

import pytest
import redis
from django.conf import settings
from django.db import connection, connections

from config.celery import app
from config.settings import work_queue
from exports.models import ExportItem
from exports.tasks import run_firm_exports
from tests.exports.conftest import DocumentFactory, DossierFactory


@pytest.mark.parametrize(
    "task, kind",
    [
        ("exports.run_all_firms", "exports"),
        ("exports.run_firm_exports", "exports"),
        ("banking.tasks.fetch_all_firms", "bank"),
        ("banking.tasks.fetch_firm", "bank"),
        ("banking.tasks.fetch_account", "bank"),
        ("documents.tasks.check_upload", "checks"),
        ("core.mail.send", "mail"),
        ("mail.send_invitation", "mail"),
        ("maintenance.clear_expired", "maintenance"),
        ("firms.refresh_template", "maintenance"),
    ],
)
def test_routing_puts_each_task_on_its_queue(task, kind):
    assert app.amqp.router.route({}, task)["queue"].name == work_queue(kind)


def test_a_sent_task_lands_in_its_queue_only():
    """With every queue declared (as a worker without -Q does), a task still lands in its own queue alone."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    names = [queue.name for queue in app.amqp.queues.values()]
    with app.connection_for_write() as broker:
        for queue in app.amqp.queues.values():
            queue(broker.default_channel).declare()
    before = {name: client.llen(name) for name in names}
    app.send_task("exports.run_all_firms")
    try:
        grown = {name for name in names if client.llen(name) > before[name]}
        assert grown == {work_queue("exports")}
        assert client.llen(work_queue("exports")) == before[work_queue("exports")] + 1
    finally:
        client.lpop(work_queue("exports"))


def test_a_worker_without_queues_named_serves_every_queue():
    assert {queue.name for queue in app.amqp.queues.values()} >= {work_queue(kind) for kind in ("exports", "mail")}


def test_two_beats_fanning_out_at_once_queue_each_document_once(new_firms, django_db_blocker):
    """Two beats (one started by mistake) start the same per-firm run at the same moment: one item."""
    firm, _owner = new_firms("Twee Beats")
    with django_db_blocker.unblock():
        connection.set_tenant(firm)
        dossier = DossierFactory(name="Twee Beats")
        document = DocumentFactory(dossier=dossier, issue_date=date(2026, 1, 15))  # a month that has ended
    errors = []

    def beat():
        try:
            connection.set_tenant(firm)
            run_firm_exports()
            run_firm_exports()  # and each runs again a minute later
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    with django_db_blocker.unblock():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        connection.set_tenant(firm)
        assert ExportItem.objects.filter(document=document).count() == 1
        connection.set_schema_to_public()
