"""The firms app was `portal/`: it keeps the label "portal", so an existing database (a second `make run` on an
old `.state`, production) needs no migration and sees no change of tables or history."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from firms.models import Firm, User


def test_the_firms_app_keeps_the_tables_and_history_of_portal(firms, db):
    config = apps.get_app_config("portal")
    assert config.name == "firms" and Firm._meta.db_table == "portal_firm" and User._meta.db_table == "portal_user"
    executor = MigrationExecutor(connection)
    applied = {name for app, name in executor.recorder.applied_migrations() if app == "portal"}
    assert {"0001_initial", "0002_link_request"} <= applied
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_no_model_change_lacks_its_migration(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits 1 when a migration is missing
    assert "No changes detected" in out.getvalue()
