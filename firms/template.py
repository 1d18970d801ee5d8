"""The template schema that new firms' schemas are copied from (settings.TENANT_BASE_SCHEMA).

django-tenants' clone_schema copies tables, data, indexes and constraints, but recreates UNIQUE constraints
under PostgreSQL's default names (`<table>_<columns>_key`) instead of the names the migrations gave them
(`bank_account_once`...). A later migration that removes or alters such a constraint by name would fail on
every cloned firm, so the copy gets the template's names back (`match_constraint_names`).
"""

import logging
import os
import re
import shutil
import subprocess

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from .tenancy import use_public_schema

log = logging.getLogger(__name__)

# Serialises the (rare) migration of the template schema by a sign-up; any number fits, it is ours.
TEMPLATE_LOCK = 0x7E3A_1A7E

CONSTRAINTS = """
    SELECT cl.relname, co.contype, pg_get_constraintdef(co.oid), co.conname
    FROM pg_constraint co
    JOIN pg_class cl ON cl.oid = co.conrelid
    JOIN pg_namespace n ON n.oid = co.connamespace
    WHERE n.nspname = %s
"""


def ensure_template_schema() -> None:
    """Create the template schema if it is missing (its migrations are then applied by the caller)."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.TENANT_BASE_SCHEMA}"')


def ensure_template() -> None:
    """Make sure the template schema is at the latest migrations (one query when it is: `migrate_schemas`
    keeps it so). Migrates it otherwise: the first sign-up, or code deployed before `migrate_schemas` ran."""
    from .migration_executor import up_to_date

    template = settings.TENANT_BASE_SCHEMA
    if up_to_date([template]):
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TEMPLATE_LOCK])
        if up_to_date([template]):
            return
        ensure_template_schema()
        call_command("migrate_schemas", tenant=True, schema_name=template, interactive=False, verbosity=0)
    use_public_schema()


def _constraints(cursor, schema: str) -> dict[tuple[str, str, str], list[str]]:
    cursor.execute(CONSTRAINTS, [schema])
    found: dict[tuple[str, str, str], list[str]] = {}
    for table, kind, definition, name in cursor.fetchall():
        found.setdefault((table, kind, definition.replace(f'"{schema}".', "").replace(f"{schema}.", "")), []).append(
            name
        )
    return found


def match_constraint_names(schema: str, template: str | None = None) -> int:
    """Give the constraints of a schema cloned from the template the template's names; returns how many were
    renamed. A constraint whose table and definition are not unique on both sides is left as it is."""
    template = template or settings.TENANT_BASE_SCHEMA
    renamed = 0
    with connection.cursor() as cursor:
        wanted, present = _constraints(cursor, template), _constraints(cursor, schema)
        for key, names in present.items():
            target = wanted.get(key, [])
            if len(names) != 1 or len(target) != 1 or names[0] == target[0]:
                continue
            cursor.execute(f'ALTER TABLE "{schema}"."{key[0]}" RENAME CONSTRAINT "{names[0]}" TO "{target[0]}"')
            renamed += 1
    return renamed


# --- a fast copy: the template's own DDL, dumped once, replayed under the new schema's name ---------------------
# django-tenants' clone_schema() walks the catalogue object by object; its queries grow with the number of
# schemas in the database (measured: 1.5 s at 20 firms, more with every firm). pg_dump's output of the template
# (structure and its few rows: content types, recorded migrations) is one script that PostgreSQL runs in tens
# of milliseconds at any number of firms. It is taken once per process and template state; without pg_dump
# (or if it fails) the firm is cloned by clone_schema() as before.
_dumps: dict[str, str] = {}
_NOT_SQL = re.compile(r"^(\\|SET |SELECT pg_catalog\.set_config|--)")


def _template_state(cursor, template: str) -> str:
    cursor.execute(f'SELECT count(*), max(id) FROM "{template}".django_migrations')
    return "{}:{}".format(*cursor.fetchone())


def _pg_dump(template: str) -> str | None:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    command = [shutil.which("pg_dump") or "pg_dump", "--no-owner", "--no-privileges", "--inserts", "--schema", template]
    for flag, value in (("--host", db.get("HOST")), ("--port", db.get("PORT")), ("--username", db.get("USER"))):
        if value:
            command += [flag, str(value)]
    try:
        done = subprocess.run([*command, db["NAME"]], capture_output=True, text=True, env=env, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("pg_dump of the firm template failed (%s): firms are cloned with clone_schema()", error)
        return None
    if done.returncode != 0:
        log.warning("pg_dump of the firm template failed: %s", done.stderr.strip()[:500])
        return None
    # psql meta-commands (\restrict…) and session settings (a newer pg_dump's may be unknown to the server)
    return "\n".join(line for line in done.stdout.splitlines() if not _NOT_SQL.match(line))


def copy_template(schema: str) -> bool:
    """Create `schema` as a copy of the template (structure, rows, recorded migrations) from its dump; False
    when no dump can be had (the caller then clones with django-tenants)."""
    template = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        state = _template_state(cursor, template)
        if state not in _dumps:
            dump = _pg_dump(template)
            if dump is None:
                return False
            _dumps.clear()
            _dumps[state] = dump
        cursor.execute(re.sub(rf"\b{template}\b", schema, _dumps[state]))
    return True
