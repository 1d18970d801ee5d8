"""Scheduled exports. Beat starts one light task each minute; it fans out one task per firm (with a little
jitter), which runs in the firm's schema and applies every dossier's policy. Both are safe to repeat: the
run queues each document once whatever happens (see services.queue_due_items)."""

from celery import shared_task
from django.conf import settings

from core.locking import LockTimeout
from firms.fanout import for_each_firm
from firms.tenancy import current_schema


@shared_task(name="exports.run_all_firms", ignore_result=True)
def run_all_firms() -> int:
    """Fan out one export run per firm."""
    return for_each_firm(run_firm_exports, spread_seconds=settings.EXPORT_FANOUT_JITTER)


@shared_task(
    name="exports.run_firm_exports",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(LockTimeout,),
    retry_backoff=5,
    max_retries=5,
)
def run_firm_exports() -> int:
    """Apply every dossier's export policy of the task's firm now. Late acknowledgement is safe: a repeat
    queues nothing twice; a dossier locked by another run for longer than the lock timeout: retried later."""
    from .services import queue_due_items

    assert current_schema() != "public"
    return sum(queue_due_items().values())
