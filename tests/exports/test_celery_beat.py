"""The real thing: a Celery worker with its beat schedule, on the real Redis, queues a due document."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from django.db import connection

from exports.models import ExportItem

from .conftest import DocumentFactory, DossierFactory

ROOT = Path(__file__).resolve().parents[2]


def test_the_beat_schedule_runs_the_export_policy_in_a_real_worker(committed_firm, tmp_path):
    dossier = DossierFactory(name="Beat BV")
    document = DocumentFactory(dossier=dossier, issue_date=date(2026, 1, 15))  # a month that has ended
    env = {
        **os.environ,
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "EXPORT_RUN_SECONDS": "1",
        "EXPORT_FANOUT_JITTER": "0",
        "CELERY_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
        "MEDIA_ROOT": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not ExportItem.objects.filter(document=document).exists():
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.5)
        items = list(ExportItem.objects.filter(document=document))
        time.sleep(2)  # a few more beats: still one item
        assert len(items) == 1 and ExportItem.objects.filter(document=document).count() == 1
        assert items[0].path.startswith(f"D{document.dossier_id}/Demat/Aankopen/")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
