"""Scheduled exports. Beat starts one light task each minute; it fans out one task per firm (with a little
jitter), which runs in the firm's schema and applies every dossier's policy. Both are safe to repeat: the
run queues each document once whatever happens (see services.queue_due_items)."""

import random

from celery import shared_task
from django.conf import settings
from django.db import connection

from firms.models import Firm


@shared_task(name="exports.run_all_firms", ignore_result=True)
def run_all_firms() -> int:
    """Fan out one export run per firm."""
    schemas = list(Firm.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    for schema in schemas:
        run_firm_exports.apply_async(
            headers={"_schema_name": schema}, countdown=random.uniform(0, settings.EXPORT_FANOUT_JITTER)
        )
    return len(schemas)


@shared_task(name="exports.run_firm_exports", ignore_result=True, acks_late=True)
def run_firm_exports() -> int:
    """Apply every dossier's export policy of the task's firm now. Late acknowledgement is safe: a repeat
    queues nothing twice."""
    from .services import queue_due_items

    assert connection.schema_name != "public"
    return sum(queue_due_items().values())
