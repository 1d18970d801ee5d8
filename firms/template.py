"""The template schema that new firms' schemas are copied from (settings.TENANT_BASE_SCHEMA).

django-tenants' clone_schema copies tables, data, indexes and constraints, but recreates UNIQUE constraints
under PostgreSQL's default names (`<table>_<columns>_key`) instead of the names the migrations gave them
(`bank_account_once`...). A later migration that removes or alters such a constraint by name would fail on
every cloned firm, so the copy gets the template's names back (`match_constraint_names`).
"""

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

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
    connection.set_schema_to_public()


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
