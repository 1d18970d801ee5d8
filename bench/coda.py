"""Benchmark: ingesting a year of daily CODA statements for many accounts (generated with the project's CODA
writer), then the gap check for one dossier. Prints statements per second and the gap check's query count.

    .venv/bin/python bench/coda.py [--accounts 500] [--days 250] [--per-file 21]

--per-file is how many daily statements one file holds (21 ≈ a month, as a bank's backlog delivery; 1 = one file
per day). Uses DATABASE_URL like the portal; without it, starts the embedded PostgreSQL of `.state/` (as
`make run` does). Creates a throw-away firm and drops it afterwards. Generation is not timed; ingestion is
(parse, checks, storage of each statement's bytes, database).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--days", type=int, default=250, help="business days per account")
    parser.add_argument("--per-file", type=int, default=21, help="statements per CODA file")
    parser.add_argument(
        "--source",
        choices=["bank", "upload"],
        default="bank",
        help="ingest as fetched from a bank connection (default) or as an upload",
    )
    args = parser.parse_args()
    import devstack

    handles = devstack.servers_for_script()
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate_schemas", "--shared", verbosity=0)
        run(args)
    finally:
        if handles:
            import devstack

            devstack.stop(handles)


def account_files(iban: str, days: int, per_file: int, rng) -> list[bytes]:
    from banking.coda_write import CodaAccount, CodaMovement, write_statement
    from banking.providers.demo import business_days

    account = CodaAccount(iban, "EUR", "Bench BV", "KREDBEBB", "725")
    all_days = business_days(date(2025, 1, 1), date(2025, 1, 1) + timedelta(days=days * 7 // 5 + 7))[:days]
    balance, previous, statements = Decimal("1000.00"), date(2024, 12, 31), []
    for number, day in enumerate(all_days, 1):
        movements = [
            CodaMovement(
                Decimal(rng.randrange(-20000, 30000)) / 100,
                day,
                "Klant NV",
                "BE71096123456769",
                communication=f"{rng.randrange(10**9, 10**10)}{rng.randrange(10, 97)}",
                structured=True,
            )
            for _ in range(rng.randrange(1, 6))
        ]
        statements.append(write_statement(account, number, balance, previous, day, movements))
        balance += sum((m.amount for m in movements), Decimal("0"))
        previous = day
    return [b"".join(statements[i : i + per_file]) for i in range(0, len(statements), per_file)]


def run(args) -> None:
    import random

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from banking.coda import belgian_iban
    from banking.gaps import gaps_for_dossier
    from banking.models import CodaStatement, Movement
    from banking.services import ingest_coda
    from bench.throwaway import throwaway_firm
    from dossiers.models import Dossier

    settings.DEBUG = False  # no query log while ingesting (as in production); the capture below turns it on
    rng = random.Random(5)
    with throwaway_firm():
        dossiers = Dossier.objects.bulk_create(
            [Dossier(name=f"Bench {i}", enterprise_number=f"{i:010d}") for i in range(max(1, args.accounts // 2))]
        )
        elapsed = generated = 0.0
        files = 0
        for index in range(args.accounts):
            start = time.perf_counter()
            data = account_files(
                belgian_iban(f"{7340000000 + index:010d}{(7340000000 + index) % 97 or 97:02d}"),
                args.days,
                args.per_file,
                rng,
            )
            generated += time.perf_counter() - start
            dossier = dossiers[index % len(dossiers)]
            start = time.perf_counter()
            for item in data:
                result = ingest_coda(dossier, item, "bench.cod", source=args.source)
                assert result.outcome == "stored", result.message
            elapsed += time.perf_counter() - start
            files += len(data)
        statements, movements = CodaStatement.objects.count(), Movement.objects.count()
        print(
            f"generate CODA (writer)           {statements} statements  {generated:7.2f} s  "
            f"{statements / generated:8.0f} statements/s"
        )
        print(
            f"ingest as {args.source} ({files} files of {args.per_file}, {movements} movements)  "
            f"{statements} statements  "
            f"{elapsed:7.2f} s  {statements / elapsed:8.0f} statements/s"
        )
        # Re-ingesting the same files is recognised by their hash: cheap and stores nothing.
        start = time.perf_counter()
        again = account_files(
            belgian_iban(f"{7340000000:010d}{7340000000 % 97 or 97:02d}"), args.days, args.per_file, random.Random(5)
        )
        duplicates = [ingest_coda(dossiers[0], item, "again.cod").outcome for item in again]
        print(
            f"re-ingest one account            {len(again)} files  {time.perf_counter() - start:7.2f} s  "
            f"outcomes {sorted(set(duplicates))}"
        )
        busiest = dossiers[0]
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            gaps = gaps_for_dossier(busiest.pk)
            took = time.perf_counter() - start
        real = [q for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]
        history = CodaStatement.objects.filter(account__dossier=busiest).count()
        print(
            f"gap check one dossier            {history} statements  {took * 1000:7.1f} ms  "
            f"{len(real)} query (+{len(queries) - len(real)} search_path), {len(gaps)} gaps"
        )


if __name__ == "__main__":
    main()
