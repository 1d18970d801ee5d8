"""`migrate_schemas` across firms: up-to-date firms skipped, the others migrated in parallel processes, a firm
whose migration fails named, and the others left consistent."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from firms.migration_executor import up_to_date

# The newest migration of the exports app (a firm-schema app): the one a firm "behind" lacks.
LEAF = next(
    node for node in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes() if node[0] == "exports"
)


def applied(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cursor.fetchall())


def test_a_failing_firm_is_named_and_the_others_are_migrated(new_firms, django_db_blocker, capsys):
    behind, _ = new_firms("Achter")
    broken, _ = new_firms("Kapot")
    with django_db_blocker.unblock():
        # `behind` really lacks the last export migration; `broken` has its tables but not the record of it, so
        # applying it again fails there (the table exists).
        call_command("migrate_schemas", *LEAF[:1], "0001", schema_name=behind.schema_name, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{broken.schema_name}".django_migrations WHERE app = %s AND name = %s', LEAF)
        connection.set_schema_to_public()
        assert up_to_date([behind.schema_name, broken.schema_name]) == set()

        with pytest.raises(CommandError) as failed:
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)
        message = str(failed.value)
        assert broken.schema_name in message and behind.schema_name not in message
        assert "migrations failed for 1 schema(s)" in message
        assert "already up to date, skipped" in capsys.readouterr().out  # firm A, B and the template

        connection.set_schema_to_public()
        assert up_to_date([behind.schema_name]) == {behind.schema_name}  # migrated meanwhile, in a pool process
        assert LEAF not in applied(broken.schema_name)  # the failed migration left no half state recorded


def test_nothing_to_do_skips_every_firm(new_firms, django_db_blocker, capsys):
    new_firms("Bij")
    with django_db_blocker.unblock():
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)
    out = capsys.readouterr().out
    assert "already up to date, skipped" in out and "Applying" not in out


def test_the_migration_record_is_looked_for_in_the_schema_alone(new_firms, django_db_blocker):
    """A schema being created has no django_migrations of its own yet: the public schema's (on the search path
    too) must not be taken for it, or nothing would be migrated there."""
    firm, _ = new_firms("Register")
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute('CREATE SCHEMA "register_empty"')
        try:
            connection.set_schema("register_empty")  # search path: register_empty, public
            assert MigrationRecorder(connection).has_table() is False
            connection.set_tenant(firm)
            assert MigrationRecorder(connection).has_table() is True
            connection.set_schema_to_public()
            assert MigrationRecorder(connection).has_table() is True
        finally:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                cursor.execute('DROP SCHEMA "register_empty"')
