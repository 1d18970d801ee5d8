"""Benchmark of the portal at many firms, in a database of its own (dropped at the end):

1. sign-up (firm creation, cloned from the template schema, as the confirmation link runs it: the password was
   hashed when the form was sent) of FIRMS firms: p50 and p95, overall and for the last tenth (with ~FIRMS firms
   present);
2. `migrate_schemas --tenant` with nothing to do across them (a process of its own, as a deploy runs it);
3. a migration that adds a column to one firm table, across them (parallel processes, MIGRATE_PROCESSES);
4. month-end: FIRMS firms x 50 documents; beat's fan-out task queued, two Celery worker processes run the
   per-firm exports; time until every document has its export item;
5. upload (store) and delivery (read back, streamed) throughput on local disk versus a bucket of an
   S3-compatible server (moto in server mode, started here unless BENCH_S3_ENDPOINT_URL is set).

    .venv/bin/python bench/firms_at_scale.py [--firms N] [--documents 50] [--keep]
    .venv/bin/python bench/firms_at_scale.py --again bench_platform_xxxxxx   # month-end again, on a kept database

Uses DATABASE_URL's server and REDIS_URL like the portal.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
AGAIN = [sys.argv[i + 1] for i, arg in enumerate(sys.argv[:-1]) if arg == "--again"]
DATABASE = AGAIN[0] if AGAIN else f"bench_platform_{uuid.uuid4().hex[:6]}"
os.environ["DATABASE_NAME"] = DATABASE
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
QUEUE = f"bench-{uuid.uuid4().hex[:6]}"
os.environ["CELERY_QUEUE"] = QUEUE  # the bench's own queues: nothing else takes its tasks

import django  # noqa: E402
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402


def admin_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def manage(*args: str) -> float:
    """Run manage.py in a process of its own (as a deploy does); return the seconds it took."""
    env = {**os.environ, "DATABASE_NAME": DATABASE}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed


def sign_ups(count: int) -> list:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from firms.services import NewFirm, create_firm
    from firms.template import copy_template

    # As the confirmation link does: the password was hashed when the sign-up form was sent, not here.
    hashed = make_password("Kantoor-Bench-2026")
    times, firms = [], []
    for n in range(count):
        start = time.perf_counter()
        firm, _owner = create_firm(
            NewFirm(f"Kantoor {n}", f"kantoor-{n}", "0403170701", "Eigenaar", f"owner-{n}@example.com", ""),
            password_hash=hashed,
        )
        times.append(time.perf_counter() - start)
        connection.set_schema_to_public()
        firms.append(firm)
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} firms, last 100: p50 {statistics.median(times[-100:]) * 1000:.0f} ms", flush=True)
    copies = []
    for _n in range(20):  # the schema alone (no owner, no password hash): sign-up's part that grows with firms
        start = time.perf_counter()
        with transaction.atomic():
            copy_template(f"bench_copy_{_n}")
            transaction.set_rollback(True)
        copies.append(time.perf_counter() - start)
    print(
        f"  schema copy alone at {count} firms: p50 {statistics.median(copies) * 1000:.0f} ms, "
        f"p95 {percentile(copies, 0.95) * 1000:.0f} ms (the rest: the firm's rows, host and owner)"
    )
    last = times[-max(1, count // 10) :]
    print(
        f"sign-up (clone) x{count}: p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {percentile(times, 0.95) * 1000:.0f} ms; with ~{count} firms present (last tenth): "
        f"p50 {statistics.median(last) * 1000:.0f} ms, p95 {percentile(last, 0.95) * 1000:.0f} ms"
    )
    return firms


def add_column_migration() -> Path:
    """A throw-away migration of the dossiers app adding a nullable column (removed again by the caller)."""
    from django.db.migrations.loader import MigrationLoader

    leaf = [name for app, name in MigrationLoader(None).graph.leaf_nodes() if app == "dossiers"][0]
    path = ROOT / "dossiers" / "migrations" / "9999_bench_platform_add_column.py"
    path.write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('dossiers', '{leaf}')]\n"
        "    operations = [migrations.RunSQL(\n"
        "        'ALTER TABLE dossiers_dossier ADD COLUMN bench_note text NULL',\n"
        "        'ALTER TABLE dossiers_dossier DROP COLUMN bench_note')]\n"
    )
    return path


def generate_documents(firms, per_firm: int) -> int:
    from django_tenants.utils import schema_context

    from bench.data import final_document
    from documents.models import Document
    from dossiers.models import Dossier
    from exports.services import settings_for

    for firm in firms:
        with schema_context(firm.schema_name):
            dossier = Dossier.objects.create(name="Klant", enterprise_number="0202239951")
            export_settings = settings_for(dossier)
            export_settings.bob_reference = "KLANT"
            export_settings.save()
            Document.objects.bulk_create(
                final_document(
                    dossier, n, ubl=f"{firm.schema_name}/documents/{dossier.pk}/{n:064x}.xml", sha256=f"{n:064x}"
                )
                for n in range(per_firm)
            )
    return len(firms) * per_firm


def count_items(firms, per_firm: int, complete: set) -> int:
    """Items queued so far. The workers take the firms about in the fan-out's order, so only the first firms
    not yet complete are read (20 at a time, stopping at a group with one still waiting), and a complete firm
    is not read again: the polling takes little of the database time the workers need."""
    from django.db import connection

    waiting = [firm for firm in firms if firm.schema_name not in complete]
    with connection.cursor() as cursor:
        for start in range(0, len(waiting), 20):
            group = waiting[start : start + 20]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{firm.schema_name}', count(*) FROM \"{firm.schema_name}\".exports_exportitem"
                    for firm in group
                )
            )
            done = {schema for schema, n in cursor.fetchall() if n >= per_firm}
            complete.update(done)
            if len(done) < len(group):
                break
    return len(complete) * per_firm


def total_items(firms) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        total = 0
        for start in range(0, len(firms), 200):
            union = " UNION ALL ".join(
                f'SELECT count(*) AS n FROM "{firm.schema_name}".exports_exportitem'
                for firm in firms[start : start + 200]
            )
            cursor.execute(f"SELECT sum(n) FROM ({union}) counts")
            total += int(cursor.fetchone()[0] or 0)
    return total


def month_end(firms, expected: int) -> None:
    from config.celery import app

    env = {**os.environ, "DATABASE_NAME": DATABASE, "EXPORT_FANOUT_JITTER": "0", "CELERY_QUEUE": QUEUE}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", f"{QUEUE}-exports", "--concurrency", "2"]
        + ["--loglevel", "WARNING", "--without-mingle", "--without-gossip", "--hostname", f"{QUEUE}@%h"],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(5)  # the worker's start is not part of the figure
        start = time.perf_counter()
        app.send_task("exports.run_all_firms")
        per_firm, complete = expected // len(firms), set()
        while (done := count_items(firms, per_firm, complete)) < expected:
            if time.perf_counter() - start > 900:
                print(f"month-end: only {done} of {expected} items after 900 s")
                return
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
        done = total_items(firms)  # every firm read once more: no item missing, none twice
        print(
            f"month-end fan-out, {len(firms)} firms x {expected // len(firms)} documents: {done} items queued by "
            f"2 worker processes in {elapsed:.1f} s ({done / elapsed:,.0f} items/s)"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def throughput(files: int = 200, size: int = 256 * 1024) -> None:
    from django.core.files.storage import FileSystemStorage

    from core.storage import chunks, store_once
    from tests.object_storage import ACCESS, REGION, new_bucket, reachable

    endpoint, server = os.environ.get("BENCH_S3_ENDPOINT_URL", ""), None
    if not endpoint or not reachable(endpoint):
        from tests.object_storage import free_port

        port = free_port()
        endpoint = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while not reachable(endpoint):
            time.sleep(0.2)
    try:
        from storages.backends.s3 import S3Storage

        bucket = S3Storage(
            bucket_name=new_bucket(endpoint),
            endpoint_url=endpoint,
            region_name=REGION,
            access_key=ACCESS["aws_access_key_id"],
            secret_key=ACCESS["aws_secret_access_key"],
            addressing_style="path",
            file_overwrite=False,
        )
        disk = FileSystemStorage(location=tempfile.mkdtemp(prefix="bench-disk-"))
        payloads = [os.urandom(size) for _ in range(files)]
        megabytes = files * size / 1e6
        for label, storage in (("local disk", disk), ("bucket (moto, 127.0.0.1)", bucket)):
            from unittest import mock

            with mock.patch("core.storage.default_storage", storage):
                start = time.perf_counter()
                names = [store_once(f"firm_bench/documents/{n:064x}.xml", data) for n, data in enumerate(payloads)]
                stored = time.perf_counter() - start
                start = time.perf_counter()
                read = sum(len(chunk) for name in names for chunk in chunks(name, storage))
                delivered = time.perf_counter() - start
            assert read == files * size
            print(
                f"{label:<26} upload {files} x {size // 1024} KiB: {files / stored:7.1f} files/s "
                f"{megabytes / stored:6.1f} MB/s; delivery (streamed read): {files / delivered:7.1f} files/s "
                f"{megabytes / delivered:6.1f} MB/s"
            )
    finally:
        if server is not None:
            server.terminate()


def month_end_again() -> None:
    """Month-end on a kept database: its export items and batches are removed first, the documents stay."""
    from django_tenants.utils import schema_context

    from documents.models import Document
    from exports.models import ExportBatch, ExportItem
    from firms.models import Firm

    firms = list(Firm.objects.exclude(schema_name="public").order_by("pk"))
    expected = 0
    for firm in firms:
        with schema_context(firm.schema_name):
            ExportItem.objects.all().delete()
            ExportBatch.objects.all().delete()
            expected += Document.objects.count()
    print(f"database {DATABASE}; month-end again on {len(firms)} firms")
    month_end(firms, expected)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    parser.add_argument("--again", metavar="DATABASE", help="run month-end again on a database kept by --keep")
    options = parser.parse_args()
    if options.again:
        django.setup()
        month_end_again()
        return

    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    try:
        django.setup()
        from django.core.management import call_command

        from firms.services import ensure_public_site
        from firms.template import ensure_template

        processes = settings.TENANT_MULTIPROCESSING_MAX_PROCESSES
        print(f"database {DATABASE}; {options.firms} firms; MIGRATE_PROCESSES={processes}")
        start = time.perf_counter()
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        ensure_public_site()
        ensure_template()
        print(f"public schema and firm template migrated in {time.perf_counter() - start:.1f} s")

        firms = sign_ups(options.firms)
        elapsed = manage("migrate_schemas", "--tenant", "-v", "0")
        print(f"migrate_schemas --tenant, nothing to do, {len(firms)} firms: {elapsed:.1f} s")
        migration = add_column_migration()
        try:
            elapsed = manage("migrate_schemas", "--tenant", "-v", "0")
            print(f"migration adding a column, {len(firms)} firms (+ template): {elapsed:.1f} s")
        finally:
            migration.unlink()

        expected = generate_documents(firms, options.documents)
        month_end(firms, expected)
        throughput()
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            with admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


if __name__ == "__main__":
    main()
