"""The real thing: a Celery worker with its beat schedule, on the real Redis, queues a due document."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.db import connection

from exports.models import ExportItem

from .conftest import DocumentFactory, DossierFactory

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def beat_worker(tmp_path, app_name: str = "portal-beat-test"):
    """A real worker with its beat (an export run each second), connected as `app_name` (PGAPPNAME)."""
    env = {
        **os.environ,
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "EXPORT_RUN_SECONDS": "1",
        "EXPORT_FANOUT_JITTER": "0",
        "CELERY_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
        "MEDIA_ROOT": str(tmp_path),
        "PGAPPNAME": app_name,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool", "solo", "--loglevel", "INFO"]
        + ["--schedule", str(tmp_path / "beat-schedule"), "--without-mingle", "--without-gossip"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for_item(worker, document, seconds: float = 60) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not ExportItem.objects.filter(document=document).exists():
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.5)
    return list(ExportItem.objects.filter(document=document))


def test_the_beat_schedule_runs_the_export_policy_in_a_real_worker(committed_firm, tmp_path):
    dossier = DossierFactory(name="Beat BV")
    document = DocumentFactory(dossier=dossier, issue_date=date(2026, 1, 15))  # a month that has ended
    with beat_worker(tmp_path) as worker:
        items = wait_for_item(worker, document)
        time.sleep(2)  # a few more beats: still one item
        assert len(items) == 1 and ExportItem.objects.filter(document=document).count() == 1
        assert items[0].path.startswith(f"D{document.dossier_id}/Demat/Aankopen/")


def test_a_worker_whose_database_connection_was_cut_goes_on(committed_firm, tmp_path):
    """Workers keep their database connection between tasks; when the server drops it (a restart, a failover),
    the next task opens a new one instead of failing, and so does every task after it."""
    dossier = DossierFactory(name="Herstart BV")
    first = DocumentFactory(dossier=dossier, issue_date=date(2026, 1, 15))
    with beat_worker(tmp_path, app_name="portal-cut-test") as worker:
        assert len(wait_for_item(worker, first)) == 1
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
                ["portal-cut-test"],
            )
            assert cursor.fetchone()[0] >= 1
        second = DocumentFactory(dossier=dossier, issue_date=date(2026, 1, 16))
        assert len(wait_for_item(worker, second)) == 1
