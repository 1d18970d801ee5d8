"""Fixtures for the Billsync API: keys of firm A and B, export items with stored bytes, and an API client on
the public host that puts the test's connection back in firm A's schema after each request (the API resets
it to public)."""

import itertools

import pytest
from django.db import connection
from django.test import Client

from exports.models import ExportBatch, ExportItem, Trigger
from sync_api.services import create_sync_key

from ..exports.conftest import DossierFactory, stored_file

_serial = itertools.count(1)


def make_item(dossier, content: bytes | None = None, path: str | None = None, kind: str = "purchases",
              document=None) -> ExportItem:
    """An export item of `dossier` whose bytes are in the storage, made in the connection's schema."""
    number = next(_serial)
    content = content if content is not None else f"<Invoice>{number}</Invoice>".encode()
    name, digest = stored_file(content)
    batch = ExportBatch.objects.create(dossier=dossier, trigger=Trigger.MANUAL)
    return ExportItem.objects.create(batch=batch, dossier=dossier, kind=kind, document=document,
                                     path=path or f"REF/Demat/Aankopen/{number:06d}.xml", file=name,
                                     size=len(content), sha256=digest)


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
        return self._restore(self.client.post(path, data, content_type=content_type,
                                              headers={**self.headers, **headers}))


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
