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


@shared_task(name="exports.apply_bulk_change", ignore_result=True)
def apply_bulk_change(dossier_ids: list[int], change: dict, actor_id: int | None, job: str) -> int:
    """A bulk change of export settings too large for a web request (progress in the cache under `job`). Not
    late-acknowledged: a repeat would write a second audit entry per dossier."""
    from firms.models import User

    from .bulk import BulkChange, apply_change

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return apply_change(dossier_ids, BulkChange(**change), actor, job=job).changing_dossiers
