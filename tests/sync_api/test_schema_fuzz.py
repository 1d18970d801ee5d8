"""Requests generated from the OpenAPI schema (Schemathesis, in-process through WSGI, with a valid key and
with none): no answer is a server error, whatever the parameters and bodies."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from sync_api.authentication import SyncKeyThrottle

from .conftest import make_item


@pytest.fixture
def api_schema(firms, db):
    """The schema as the portal serves it; requests go through Django's WSGI handler in this thread, inside the
    test's transaction (like Django's test client, without closing the connection after each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def existing_items(firm_a, dossier_a):
    """A few real items, so that some generated ids exist."""
    return [make_item(dossier_a) for _ in range(3)]


def fuzz(schema, headers: dict, examples: int) -> int:
    """Generated requests for every operation; fails on the first 5xx. Returns how many were sent."""
    sent = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])
            assert response.status_code < 500, (case.method, case.formatted_path, response.status_code)
            sent.append(response.status_code)

        check()
    return len(sent)


def test_generated_requests_with_a_key_never_get_a_server_error(api_schema, key_a, existing_items, monkeypatch):
    monkeypatch.setattr(SyncKeyThrottle, "THROTTLE_RATES", {"sync_key": "100000/min"})
    assert fuzz(api_schema, {"Authorization": f"Bearer {key_a[1]}"}, 40) >= 6 * 10


def test_generated_requests_without_a_key_never_get_a_server_error(api_schema):
    assert fuzz(api_schema, {}, 10) >= 6
