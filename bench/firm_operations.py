"""Benchmark: firm operations at scale. A bulk change of export settings over 2,000 dossiers (preview, apply with
an audit entry each), and the dossiers list with 5,000 dossiers and a filter (time per request and number of
queries, compared with a firm of 50 dossiers: the number must not grow).

    .venv/bin/python bench/firm_operations.py [DOSSIERS] [CHANGED]

Uses DATABASE_URL / REDIS_URL like the portal. Creates throw-away firms, prints figures, drops the firms.
Targets (issue 14): bulk change of 2,000 < 5 s; list with 5,000 and a filter < 300 ms, fixed queries.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.import_dossiers import numbers  # noqa: E402
from bench.throwaway import throwaway_firm  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from exports.bulk import BulkChange, apply_change, preview_change  # noqa: E402
from exports.models import ExportSettings, Policy  # noqa: E402
from firms.models import User  # noqa: E402
from firms.services import firm_host  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.DEBUG = False


def make_dossiers(count: int) -> list[int]:
    dossiers = Dossier.objects.bulk_create(
        [
            Dossier(name=f"Klant {i:05d} BV", enterprise_number=number, city="Gent" if i % 3 else "Brugge")
            for i, number in enumerate(numbers(count))
        ],
        batch_size=2000,
    )
    # Two in three with a reference, the others without (the dashboard's "BOB reference missing").
    ExportSettings.objects.bulk_create(
        [ExportSettings(dossier=d, bob_reference=f"R{d.pk}") for i, d in enumerate(dossiers) if i % 3]
    )
    return [d.pk for d in dossiers]


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<44} {time.perf_counter() - start:7.3f} s")
    return result


def list_figures(firm, path: str, runs: int = 15) -> tuple[float, int]:
    client = Client(HTTP_HOST=firm_host(firm.slug))
    client.force_login(User.objects.get(email=f"{firm.slug}@example.com"))
    client.get(path)  # warm up (templates, connection)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), len(queries)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    changed = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    path = "/dossiers/?q=Klant&bob=missing&sort=name"
    with throwaway_firm() as small:
        make_dossiers(50)
        small_time, small_queries = list_figures(small, path)
    with throwaway_firm() as firm:
        ids = timed(f"create {count} dossiers", lambda: make_dossiers(count))
        chosen = ids[:changed]
        change = BulkChange(
            policy=Policy.AFTER_TEN_MINUTES, needs_approval=True, bob_reference_from_enterprise_number=True
        )
        preview = timed(f"bulk change preview, {changed} dossiers", lambda: preview_change(chosen, change))
        print(f"  would change {preview.changing_dossiers}; {preview.change} keep own {preview.keep_own}")
        done = timed(f"bulk change apply, {changed} dossiers", lambda: apply_change(chosen, change, None))
        assert done.changing_dossiers == changed
        median, queries = list_figures(firm, path)
        print(f"dossiers list, {count} dossiers, filter {path}: median {median * 1000:.0f} ms, {queries} queries")
        print(f"dossiers list, 50 dossiers, same filter: median {small_time * 1000:.0f} ms, {small_queries} queries")
        everything, all_queries = list_figures(firm, "/dossiers/")
        print(f"dossiers list, {count} dossiers, no filter: median {everything * 1000:.0f} ms, {all_queries} queries")
        assert queries == small_queries, "the list's number of queries grows with the number of dossiers"


if __name__ == "__main__":
    main()
