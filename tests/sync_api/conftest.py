"""Fixtures for the Billsync API: keys of firm A and B, export items with stored bytes, and an API client on
the public host that puts the test's connection back in firm A's schema after each request (the API resets
it to public)."""

import itertools

import pytest
from django.db import connection
from django.test import Client

from exports.models import ExportBatch, ExportItem, Trigger
from sync_api.services import create_sync_key
from tests.factories import DossierFactory, stored_file
from tests.live import portal_thread

_serial = itertools.count(1)


def make_item(
    dossier, content: bytes | None = None, path: str | None = None, kind: str = "purchases", document=None
) -> ExportItem:
    """An export item of `dossier` whose bytes are in the storage, made in the connection's schema."""
    number = next(_serial)
    content = content if content is not None else f"<Invoice>{number}</Invoice>".encode()
    name, digest = stored_file(content)
    batch = ExportBatch.objects.create(dossier=dossier, trigger=Trigger.MANUAL)
    return ExportItem.objects.create(
        batch=batch,
        dossier=dossier,
        kind=kind,
        document=document,
        path=path or f"REF/Demat/Aankopen/{number:06d}.xml",
        file=name,
        size=len(content),
        sha256=digest,
    )


class ApiClient:
    """Django's test client with a sync key, on the public host."""

    def __init__(self, raw_key: str | None, firm_to_restore=None):
        self.client = Client(HTTP_HOST="localhost")
        self.headers = {"Authorization": f"Bearer {raw_key}"} if raw_key else {}
        self.firm = firm_to_restore

    def _restore(self, response):
        if self.firm is not None:
            connection.set_tenant(self.firm)
        return response

    def get(self, path, data=None, **headers):
        return self._restore(self.client.get(path, data, headers={**self.headers, **headers}))

    def post(self, path, data=None, content_type="application/json", **headers):
        return self._restore(
            self.client.post(path, data, content_type=content_type, headers={**self.headers, **headers})
        )


@pytest.fixture
def key_a(firm_a):
    return create_sync_key(firm_a, "Server A")


@pytest.fixture
def key_b(firm_a, firm_b):
    return create_sync_key(firm_b, "Server B")


@pytest.fixture
def api_a(firm_a, key_a):
    return ApiClient(key_a[1], firm_a)


@pytest.fixture
def dossier_a(firm_a):
    return DossierFactory(name="Bakkerij Peeters")


# A live portal for the real agent process ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _live_server_helper():
    """pytest-django's helper of this name gives tests that use `live_server` a `transactional_db`; the
    `live_server` below needs none (see there)."""
    yield


class LivePortal:
    def __init__(self, url: str):
        self.url = url


@pytest.fixture(scope="session")
def live_server(firms, django_db_blocker):
    """A portal served from this process for the agent subprocess; `.url` is on the public host 127.0.0.1.

    Replaces pytest-django's fixture of that name: it keeps the name (pytest-django sets up the test database
    for tests that use it) but not its `transactional_db`, whose flush at the end of each test would empty the
    public schema's tables (firms, hosts, users) that the session's firms need."""
    with portal_thread(django_db_blocker) as port:
        yield LivePortal(f"http://127.0.0.1:{port}")


@pytest.fixture(scope="session")
def agent_firm(live_server, django_db_blocker):
    """A firm of its own for the agent tests: their data is committed (the live server reads it)."""
    from firms.services import NewFirm, create_firm

    from ..conftest import PASSWORD

    with django_db_blocker.unblock():
        firm, _owner = create_firm(
            NewFirm(
                "Kantoor Agent", "kantoor-agent", "0417497106", "Eigenaar Agent", "owner-agent@example.com", PASSWORD
            )
        )
        connection.set_schema_to_public()
    return firm


@pytest.fixture
def committed(agent_firm, django_db_blocker):
    """The agent firm's schema on this connection, in autocommit (the live server must see the rows), emptied
    of export data and keys by hand afterwards."""
    from documents.models import Document
    from dossiers.models import Dossier
    from exports.models import ExportSettings
    from sync_api.models import SyncKey

    with django_db_blocker.unblock():
        connection.set_tenant(agent_firm)
        yield agent_firm
        connection.set_tenant(agent_firm)
        ExportItem.objects.all().delete()
        ExportBatch.objects.all().delete()
        ExportSettings.objects.all().delete()
        Document.objects.all().delete()
        Dossier.objects.all().delete()
        SyncKey.objects.filter(firm=agent_firm).delete()
        connection.set_schema_to_public()
