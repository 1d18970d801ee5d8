"""The Celery app. Tasks run inside their firm's schema (tenant-schemas-celery)."""

import os

from celery.signals import task_prerun
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["core"])  # mail (core.tasks): `core` is a package, not an installed app


@task_prerun.connect
def _usable_connection(task=None, **_kwargs) -> None:
    """A kept connection (CELERY_DB_REUSE_MAX) that broke, is too old or was left inside a transaction is closed
    before the next task, as Django does before each request; the task then opens a new one. Not for a task run
    eagerly: it runs in its caller's connection and transaction (as Celery's own fixup leaves those alone)."""
    from django.db import close_old_connections

    if task is not None and getattr(task.request, "is_eager", False):
        return
    close_old_connections()
