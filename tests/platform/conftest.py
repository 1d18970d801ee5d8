"""Committed firms of their own for the platform tests (other processes must see them), dropped afterwards."""

import uuid

import pytest
from django.db import connection

from firms.models import Firm
from firms.services import NewFirm, create_firm
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _live_server_helper():
    """pytest-django's helper of this name would give tests that use `live_server` a `transactional_db`."""
    yield


@pytest.fixture(scope="session")
def live_server(firms):
    """Only the name: pytest-django sets up the test database for a session whose tests use `live_server`,
    `db` or `transactional_db`, and these tests need committed rows (other processes read them), not the
    per-test transaction of `db` nor the flush of `transactional_db` (tests/sync_api/conftest.py does the
    same)."""
    return None


@pytest.fixture
def new_firms(live_server, firms, django_db_blocker):
    """A factory of committed firms (owner password: PASSWORD); every firm it made is dropped after the test."""
    made = []

    def make(name: str = "Platform"):
        tag = uuid.uuid4().hex[:8]
        with django_db_blocker.unblock():
            firm, owner = create_firm(
                NewFirm(name, f"p-{tag}", "0403170701", f"Owner {name}", f"owner-{tag}@example.com", PASSWORD)
            )
            connection.set_schema_to_public()
        made.append(firm)
        return firm, owner

    yield make
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for firm in made:
            Firm.objects.get(pk=firm.pk).delete(force_drop=True)
