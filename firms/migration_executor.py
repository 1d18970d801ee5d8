"""How `migrate_schemas` migrates thousands of firm schemas: the template schema first (new firms are cloned
from it), firms already at the latest migrations skipped after one query each, the others in parallel by a
bounded pool of processes (django-tenants' multiprocessing executor), and a failure named by its firm.

Each migration runs in its own transaction (PostgreSQL DDL is transactional), so a firm that fails stays at
its last good migration and the other firms are left consistent, migrated or not.
"""

import functools

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.migration_executors import get_executor as tenants_executor
from django_tenants.migration_executors.base import run_migrations
from django_tenants.migration_executors.multiproc import MultiprocessingExecutor, get_pool

from .template import ensure_template_schema
from .tenancy import use_public_schema

# Options under which every schema must go through Django's migrate (nothing may be skipped).
EXPLICIT = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune", "check_unapplied", "run_syncdb")


def get_executor(codename=None):
    """django-tenants' executor named by --executor, else the firms' parallel one."""
    if codename and codename != FirmsExecutor.codename:
        return tenants_executor(codename)
    return FirmsExecutor


def has_migrations_table(recorder: MigrationRecorder) -> bool:
    """`MigrationRecorder.has_table` for one database of many schemas (installed by the app's `ready`): does the
    connection's schema have its django_migrations table? Django answers by listing every table visible on the
    search path, a scan of the whole catalogue that grows with the number of firms (0.1 s at 1,000 firms, and
    asked four times per schema migrated: most of a migration's time across firms). One indexed lookup of
    the schema's own table gives the same answer (django-tenants' introspection also looks in that schema only)."""
    known = vars(recorder)  # Django remembers a found table in `_has_table` (not in the stubs)
    if known.get("_has_table"):
        return True
    schema = getattr(recorder.connection, "schema_name", None) or "public"
    with recorder.connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}".{recorder.Migration._meta.db_table}'])
        known["_has_table"] = bool(cursor.fetchone()[0])
    return known["_has_table"]


@functools.cache  # the code, hence its migrations, does not change while a process runs
def latest_migrations() -> list[tuple[str, str]]:
    """The leaf migrations of the project: a schema that has all of them recorded is up to date (Django records
    every migration in every schema, and applies one only after its parents)."""
    return sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def up_to_date(schemas: list[str]) -> set[str]:
    """The schemas among `schemas` that have every latest migration recorded (one query per schema)."""
    leaves = latest_migrations()
    names = [f"{app}.{name}" for app, name in leaves]
    done = set()
    use_public_schema()
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(
                "SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}".django_migrations']
            )  # a schema being created has none yet
            if not cursor.fetchone()[0]:
                continue
            cursor.execute(
                f"SELECT count(*) FROM \"{schema}\".django_migrations WHERE app || '.' || name = ANY(%s)",
                [names],
            )
            if cursor.fetchone()[0] == len(leaves):
                done.add(schema)
    return done


def _migrate_one(args, options, codename, count, idx_schema):
    """One schema in a pool process; returns (schema, error message or None) instead of raising, so that the
    parent can name every firm that failed."""
    idx, schema = idx_schema
    try:
        run_migrations(args, options, codename, schema, allow_atomic=False, idx=idx, count=count)
    except Exception as error:  # noqa: BLE001 -- reported by name below, whatever it was
        return schema, f"{error.__class__.__name__}: {error}"
    finally:
        connection.close()
    return schema, None


class FirmsExecutor(MultiprocessingExecutor):
    codename = "firms"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        if tenants == [self.PUBLIC_SCHEMA_NAME]:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            return
        every_firm = not self.options.get("schema_name")
        template = settings.TENANT_BASE_SCHEMA
        if every_firm and template:
            ensure_template_schema()
            tenants = [template, *[schema for schema in tenants if schema != template]]
        if not any(self.options.get(option) for option in EXPLICIT):
            done = up_to_date(tenants)
            if done and int(self.options.get("verbosity", 1)) >= 1:
                self.stdout_write(f"{len(done)} schema(s) already up to date, skipped")
            tenants = [schema for schema in tenants if schema not in done]
        if template in tenants:  # first and alone: sign-ups clone it while the firms migrate
            tenants.remove(template)
            self._migrate([template])
        self._migrate(tenants)

    def _migrate(self, schemas: list[str]) -> None:
        if len(schemas) == 1:
            # One schema (a sign-up, --schema, the template): in this process, inside the caller's transaction.
            try:
                run_migrations(self.args, self.options, self.codename, schemas[0])
            except Exception as error:
                raise CommandError(f"migrations failed for schema {schemas[0]}: {error}") from error
            return
        failures = self._in_parallel(schemas)
        if failures:
            named = "; ".join(f"{schema}: {error}" for schema, error in failures)
            raise CommandError(f"migrations failed for {len(failures)} schema(s): {named}")

    def _in_parallel(self, schemas: list[str]) -> list[tuple[str, str]]:
        if not schemas:
            return []
        connection.close()
        failures = []
        pool = get_pool()
        try:
            job = pool.imap_unordered(_Job(self.args, self.options, self.codename, len(schemas)), enumerate(schemas))
            for schema, error in job:
                if error is not None:
                    failures.append((schema, error))
        finally:
            pool.close()
            pool.join()
        return sorted(failures)

    @staticmethod
    def stdout_write(message: str) -> None:
        print(f"[firms] {message}", flush=True)


class _Job:
    """A picklable partial of _migrate_one (the pool forks; arguments travel pickled)."""

    def __init__(self, args, options, codename, count):
        self.args, self.options, self.codename, self.count = args, options, codename, count

    def __call__(self, idx_schema):
        return _migrate_one(self.args, self.options, self.codename, self.count, idx_schema)
