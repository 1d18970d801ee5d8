"""Periodic work for every firm: beat starts one light task that queues a task per firm, each run inside that
firm's schema (tenant-schemas-celery reads the `_schema_name` header)."""

import random

from .models import Firm


def firm_schemas() -> list[str]:
    return list(Firm.objects.exclude(schema_name="public").order_by("pk").values_list("schema_name", flat=True))


def for_each_firm(task, *, spread_seconds: float) -> int:
    """Queue `task` once per firm, in its schema, spread at random over `spread_seconds` so that thousands of
    firms do not all start at once. Returns the number of firms."""
    schemas = firm_schemas()
    for schema in schemas:
        # Without a spread, no countdown: a task with one waits in the worker's timer instead of running at once.
        countdown = random.uniform(0, spread_seconds) if spread_seconds else None
        task.apply_async(headers={"_schema_name": schema}, countdown=countdown)
    return len(schemas)
