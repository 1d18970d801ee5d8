"""Benchmark of the export engine with the database: a firm of DOSSIERS dossiers with DOCS documents each
(generated rows, 50,000 by default); the month-end run that queues them all, a run with nothing to do, and
the accountant's dashboard once the firm has 2,000 dossiers (time and number of queries).

    .venv/bin/python bench/exports.py [DOSSIERS] [DOCS]

Uses DATABASE_URL like the portal; creates a throw-away firm and drops it afterwards.
"""

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.data import final_document  # noqa: E402
from bench.throwaway import throwaway_firm  # noqa: E402
from documents.models import Direction, Document  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from exports.dashboard import dossiers_needing_something  # noqa: E402
from exports.models import ExportItem, ExportSettings  # noqa: E402
from exports.services import queue_due_items  # noqa: E402

MONTH_END = datetime.fromisoformat("2026-11-01T00:05:00+01:00")


def generate(dossiers: int, docs: int, first: int = 0) -> None:
    numbers = range(first, first + dossiers)
    rows = [
        Dossier(name=f"Klant {n:04d}", enterprise_number=f"{n + 1000000:08d}{97 - (n + 1000000) % 97:02d}")
        for n in numbers
    ]
    Dossier.objects.bulk_create(rows, batch_size=2000)
    created = list(Dossier.objects.filter(name__in=[row.name for row in rows]))
    # Every dossier has its Sage BOB reference: without one nothing of it is queued.
    ExportSettings.objects.bulk_create([ExportSettings(dossier=d, bob_reference=f"K{d.pk}") for d in created])
    documents = []
    for dossier in created:
        for n in range(docs):
            documents.append(
                final_document(
                    dossier,
                    n,
                    direction=Direction.SALES if n % 3 == 0 else Direction.PURCHASE,
                    ubl=f"documents/bench/{dossier.pk}-{n}.xml",
                    sha256=f"{dossier.pk:032x}{n:032x}",
                )
            )
        if len(documents) >= 20000:
            Document.objects.bulk_create(documents, batch_size=5000)
            documents = []
    Document.objects.bulk_create(documents, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after such a load


def timed(label: str, function):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed:7.2f} s  {len(queries):6d} queries")
    return result, elapsed


def main():
    dossiers = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    docs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    with throwaway_firm():
        start = time.perf_counter()
        generate(dossiers, docs)
        print(f"generated {dossiers} dossiers x {docs} documents in {time.perf_counter() - start:.1f} s")
        queued, elapsed = timed("month-end run (queue every document)", lambda: queue_due_items(MONTH_END))
        items = ExportItem.objects.count()
        print(f"  {items} items queued, {items / elapsed:,.0f} items/s")
        timed("run with nothing to do", lambda: queue_due_items(MONTH_END + timedelta(minutes=1)))
        generate(2000 - dossiers, 25, first=dossiers)
        print(f"added {2000 - dossiers} dossiers x 25 documents (2,000 dossiers in all)")
        result, _elapsed = timed("dashboard, 2,000 dossiers", dossiers_needing_something)
        print(f"  {result['count']} dossiers need something; totals {result['totals']}")


if __name__ == "__main__":
    main()
