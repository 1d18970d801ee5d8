"""Fixtures for export tests."""

from datetime import datetime

import pytest
from django.db import connection

from tests.factories import DocumentFactory, DossierFactory  # noqa: F401 - used by the tests through here

# pytest-django creates the test database only for a run with a test that asks for `db`, `transactional_db` or
# `live_server`; `committed_firm` asks for the platform tests' `live_server` (a name only), so that a module
# of committed-data tests also runs alone (tests/platform/conftest.py explains both).
from tests.platform.conftest import _live_server_helper, live_server  # noqa: E402, F401


@pytest.fixture
def committed_firm(live_server, firms, django_db_blocker):  # noqa: F811 - the fixture, by name
    """Firm A for tests that need committed rows (concurrent runs, a worker process). Not `transactional_db`:
    its flush at the end would empty the public tables that the session's firms live in. Cleaned up here."""
    from dossiers.models import Dossier
    from exports.models import ExportBatch, ExportItem

    with django_db_blocker.unblock():
        connection.set_tenant(firms[0])
        before = set(Dossier.objects.values_list("pk", flat=True))
        yield firms[0]
        connection.set_tenant(firms[0])
        ExportItem.objects.all().delete()
        ExportBatch.objects.all().delete()
        Dossier.objects.exclude(pk__in=before).delete()
        connection.set_schema_to_public()


@pytest.fixture
def dossier(firm_a):
    return DossierFactory()


def at(text: str) -> datetime:
    """An aware datetime from ISO text with its offset."""
    return datetime.fromisoformat(text)
