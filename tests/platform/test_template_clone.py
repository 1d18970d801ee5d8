"""Sign-up clones the template schema: the new firm's schema equals one built by running every migration."""

import re
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from firms import template
from firms.migration_executor import latest_migrations, up_to_date
from firms.services import NewFirm, create_firm
from firms.template import copy_template


def without_casts(check: str) -> str:
    """A constraint's or index's text without casts and brackets: PostgreSQL writes the same check
    (`x IN ('a', 'b')`) with its casts in other places after a dump and restore
    (`ARRAY[('a'::varchar)::text]` or `(ARRAY['a'::varchar])::text[]`); the condition is the same."""
    return re.sub(r"::[a-z ]+(\[\])?|[()\s]", "", check)


def catalogue(schema: str) -> dict[str, list]:
    """What `pg_dump --schema-only` would show of a schema, from the catalogue, with the schema's name taken
    out: tables and columns (in order: a dropped column leaves a gap in a migrated table's positions, which
    pg_dump does not show either), constraints, indexes, sequences, and the migrations recorded."""
    queries = {
        "columns": """SELECT table_name, column_name,
                             row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position),
                             data_type, character_maximum_length, numeric_precision, numeric_scale,
                             is_nullable, column_default, is_identity
                      FROM information_schema.columns WHERE table_schema = %s""",
        "constraints": """SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)
                          FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
                          JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = %s""",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
        "sequences": """SELECT sequence_name, data_type, start_value, increment
                        FROM information_schema.sequences WHERE sequence_schema = %s""",
        "migrations": "SELECT app, name FROM {schema}.django_migrations",
    }
    found = {}
    with connection.cursor() as cursor:
        for kind, sql in queries.items():
            if "{schema}" in sql:
                cursor.execute(sql.format(schema=f'"{schema}"'))
            else:
                cursor.execute(sql, [schema])
            found[kind] = sorted(
                tuple(
                    without_casts(text) if (kind, n) in {("constraints", 3), ("indexes", 2)} else text
                    for n, text in enumerate(
                        str(value).replace(f'"{schema}".', "").replace(f"{schema}.", "") for value in row
                    )
                )
                for row in cursor.fetchall()
            )
    return found


@pytest.mark.parametrize("way", ["dump", "clone_schema"])
def test_a_cloned_firm_schema_equals_a_migrated_one(firms, db, way, monkeypatch):
    if way == "clone_schema":  # no pg_dump on the machine: django-tenants' clone, names put right afterwards
        monkeypatch.setattr(template, "_dumps", {})
        monkeypatch.setattr(template, "_pg_dump", lambda schema: None)
    firm, _owner = create_firm(
        NewFirm(
            "Kloon",
            f"kloon-{uuid.uuid4().hex[:6]}",
            "0403170701",
            "Eigenaar",
            f"{uuid.uuid4().hex}@example.com",
            "x" * 12,
        )
    )
    connection.set_schema_to_public()
    migrated = f"migrated_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{migrated}"')
    call_command("migrate_schemas", tenant=True, schema_name=migrated, interactive=False, verbosity=0)
    connection.set_schema_to_public()

    cloned, reference = catalogue(firm.schema_name), catalogue(migrated)
    assert len(reference["columns"]) > 100 and reference["migrations"]
    for kind in reference:
        assert cloned[kind] == reference[kind], kind
    assert up_to_date([firm.schema_name, settings.TENANT_BASE_SCHEMA]) == {
        firm.schema_name,
        settings.TENANT_BASE_SCHEMA,
    }
    assert latest_migrations()


def test_sign_up_copies_the_template_rather_than_migrating(firms, db, django_assert_max_num_queries):
    # Migrating from scratch runs thousands of statements; a clone is one function call plus bookkeeping.
    with django_assert_max_num_queries(400):
        create_firm(
            NewFirm(
                "Snel", f"snel-{uuid.uuid4().hex[:6]}", "0403170701", "E", f"{uuid.uuid4().hex}@example.com", "x" * 12
            )
        )


def test_the_template_is_copied_from_its_dump(firms, db):
    """The fast path (pg_dump's script of the template, replayed) is what sign-up uses here, not the fallback."""
    schema = f"copy_{uuid.uuid4().hex[:8]}"
    assert copy_template(schema)
    assert up_to_date([schema]) == {schema}
