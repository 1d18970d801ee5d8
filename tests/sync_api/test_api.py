"""The Billsync API on the public host: keys, paging, download with lease and ETag, acknowledgements, failure
reports, bad input, and isolation between firms."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from documents.models import DocumentStatus
from exports.models import ExportItem, ItemState
from sync_api.authentication import SyncKeyThrottle
from sync_api.models import AgentHeartbeat, SyncKey
from sync_api.services import agent_status, create_sync_key, revoke_sync_key
from tests.factories import DocumentFactory

from .conftest import ApiClient, make_item

API = "/api/sync/v1"


def content_of(item: ExportItem, response) -> bytes:
    return b"".join(response.streaming_content)


# Authentication ---------------------------------------------------------------------------------------------


def test_it_refuses_requests_without_a_key(firm_a):
    response = ApiClient(None, firm_a).get(f"{API}/items")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer not-a-key",
        "Bearer bsk_abcdefgh_short",
        "Bearer a b",
        "Bearer bsk_ABCDEFGH_" + "x" * 43,
    ],
)
def test_it_refuses_malformed_keys(firm_a, header):
    client = ApiClient(None, firm_a)
    response = client.get(f"{API}/items", Authorization=header)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_key"


def test_it_refuses_a_wrong_secret_behind_a_known_prefix(firm_a, key_a):
    key, raw = key_a
    forged = raw[:13] + ("A" if raw[13] != "A" else "B") + raw[14:]
    response = ApiClient(forged, firm_a).get(f"{API}/config")
    assert response.status_code == 401
    assert response.json() == {"code": "invalid_key", "message": response.json()["message"]}


def test_it_refuses_a_revoked_key(firm_a, key_a, api_a):
    assert api_a.get(f"{API}/config").status_code == 200
    revoke_sync_key(firm_a, key_a[0].pk)
    response = api_a.get(f"{API}/config")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_key"


def test_the_key_alone_names_the_firm_and_its_use_is_recorded(firm_a, key_a, api_a, dossier_a):
    response = api_a.get(f"{API}/config")
    assert response.status_code == 200
    data = response.json()
    assert data["firm"] == {"name": "Firm A", "slug": "firm-a"}
    assert data["key_name"] == "Server A"
    assert data["poll_interval"] > 0
    [dossier] = [d for d in data["dossiers"] if d["id"] == dossier_a.pk]
    reference = f"D{dossier_a.pk}"
    assert dossier["folders"] == {
        "purchases": f"{reference}/Demat/Aankopen",
        "sales": f"{reference}/Demat/Verkopen",
        "coda": f"{reference}/CODA",
    }
    key = SyncKey.objects.get(pk=key_a[0].pk)
    assert key.last_used_at is not None and key.last_used_ip == "127.0.0.1"


def test_only_the_hash_of_a_key_is_stored(firm_a, key_a):
    key, raw = key_a
    assert raw.startswith(key.prefix + "_") and len(raw) == 56
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(SyncKey.objects.filter(pk=key.pk).values().get())


def test_the_api_is_not_served_on_a_firm_host(firm_a, key_a):
    from django.test import Client

    from ..conftest import host_of

    response = Client(HTTP_HOST=host_of(firm_a)).get(f"{API}/config", headers={"Authorization": f"Bearer {key_a[1]}"})
    connection.set_tenant(firm_a)
    assert response.status_code == 404


def test_unknown_endpoints_answer_json(api_a):
    response = api_a.get(f"{API}/nothing/here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_requests_are_throttled_per_key(api_a, monkeypatch):
    monkeypatch.setattr(SyncKeyThrottle, "THROTTLE_RATES", {"sync_key": "3/min"})
    assert [api_a.get(f"{API}/items").status_code for _ in range(3)] == [200, 200, 200]
    response = api_a.get(f"{API}/items")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


# Listing ----------------------------------------------------------------------------------------------------


def test_items_are_paged_in_id_order_with_a_cursor(api_a, dossier_a):
    items = [make_item(dossier_a) for _ in range(5)]
    first = api_a.get(f"{API}/items", {"limit": 2}).json()
    assert [i["id"] for i in first["items"]] == [items[0].pk, items[1].pk]
    assert first["has_more"] is True and first["next"] == items[1].pk
    second = api_a.get(f"{API}/items", {"limit": 2, "after": first["next"]}).json()
    third = api_a.get(f"{API}/items", {"limit": 2, "after": second["next"]}).json()
    assert [i["id"] for i in second["items"] + third["items"]] == [i.pk for i in items[2:]]
    assert third["has_more"] is False
    empty = api_a.get(f"{API}/items", {"after": third["next"]}).json()
    assert empty == {"items": [], "next": third["next"], "has_more": False}
    assert first["items"][0] == {
        "id": items[0].pk,
        "dossier": dossier_a.pk,
        "kind": "purchases",
        "path": items[0].path,
        "size": items[0].size,
        "sha256": items[0].sha256,
    }


def test_delivered_and_failed_items_are_not_offered(api_a, dossier_a):
    waiting, delivered, failed = make_item(dossier_a), make_item(dossier_a), make_item(dossier_a)
    ExportItem.objects.filter(pk=delivered.pk).update(state=ItemState.DELIVERED)
    ExportItem.objects.filter(pk=failed.pk).update(state=ItemState.FAILED)
    ids = [i["id"] for i in api_a.get(f"{API}/items").json()["items"]]
    assert waiting.pk in ids and delivered.pk not in ids and failed.pk not in ids


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 100000}, {"limit": "ten"}, {"after": -1}, {"after": "x"}, {"after": 2**70}]
)
def test_bad_query_values_get_a_json_error(api_a, query):
    response = api_a.get(f"{API}/items", query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(query) <= set(response.json()["fields"])


# Download ---------------------------------------------------------------------------------------------------


def test_content_streams_the_stored_bytes_with_etag_and_a_lease(api_a, dossier_a):
    item = make_item(dossier_a, b"<Invoice>stream me</Invoice>")
    response = api_a.get(f"{API}/items/{item.pk}/content")
    assert response.status_code == 200
    assert response.streaming
    assert content_of(item, response) == b"<Invoice>stream me</Invoice>"
    assert response["ETag"] == f'"{item.sha256}"'
    assert int(response["Content-Length"]) == item.size
    item.refresh_from_db()
    assert item.lease_token == response["X-Billsync-Lease"] and item.attempts == 1
    assert item.leased_until > timezone.now() + timedelta(minutes=4)


def test_if_none_match_answers_304_without_taking_a_lease(api_a, dossier_a):
    item = make_item(dossier_a)
    response = api_a.get(f"{API}/items/{item.pk}/content", **{"If-None-Match": f'"{item.sha256}"'})
    assert response.status_code == 304
    assert response["ETag"] == f'"{item.sha256}"'
    item.refresh_from_db()
    assert (item.attempts, item.lease_token) == (0, "")
    other = api_a.get(f"{API}/items/{item.pk}/content", **{"If-None-Match": '"0000"'})
    assert other.status_code == 200


def test_an_item_leased_by_another_key_is_neither_offered_nor_served(firm_a, api_a, dossier_a):
    item = make_item(dossier_a)
    second = ApiClient(create_sync_key(firm_a, "Second server")[1], firm_a)
    assert api_a.get(f"{API}/items/{item.pk}/content").status_code == 200
    response = second.get(f"{API}/items/{item.pk}/content")
    assert response.status_code == 409 and response.json()["code"] == "leased"
    assert item.pk not in [i["id"] for i in second.get(f"{API}/items").json()["items"]]
    assert item.pk in [i["id"] for i in api_a.get(f"{API}/items").json()["items"]]  # its own lease
    ExportItem.objects.filter(pk=item.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert item.pk in [i["id"] for i in second.get(f"{API}/items").json()["items"]]
    assert second.get(f"{API}/items/{item.pk}/content").status_code == 200


def test_a_delivered_item_is_not_served_again(api_a, dossier_a):
    item = make_item(dossier_a)
    ExportItem.objects.filter(pk=item.pk).update(state=ItemState.DELIVERED)
    response = api_a.get(f"{API}/items/{item.pk}/content")
    assert response.status_code == 409 and response.json()["code"] == "not_pending"


@pytest.mark.parametrize("suffix", ["content", "ack", "failure"])
@pytest.mark.parametrize("item_id", ["999999999", str(2**63), "0", "abc"])
def test_unknown_item_ids_answer_404(api_a, suffix, item_id):
    url = f"{API}/items/{item_id}/{suffix}"
    body = {"sha256": "0" * 64, "code": "conflict", "message": "x"}
    response = api_a.get(url) if suffix == "content" else api_a.post(url, body)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# Acknowledgement ---------------------------------------------------------------------------------------------


def test_an_acknowledgement_delivers_and_exports_the_document(api_a, dossier_a):
    document = DocumentFactory(dossier=dossier_a)
    item = make_item(dossier_a, document=document)
    lease = api_a.get(f"{API}/items/{item.pk}/content")["X-Billsync-Lease"]
    response = api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256, "lease": lease})
    assert response.status_code == 200 and response.json() == {"status": "delivered"}
    item.refresh_from_db()
    document.refresh_from_db()
    assert (item.state, item.delivered_by, item.lease_token) == (ItemState.DELIVERED, "Server A", "")
    assert document.status == DocumentStatus.EXPORTED and document.locked


def test_a_repeated_acknowledgement_is_harmless(api_a, dossier_a):
    item = make_item(dossier_a)
    assert api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256}).json() == {"status": "delivered"}
    delivered_at = ExportItem.objects.get(pk=item.pk).delivered_at
    again = api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256.upper()})
    assert again.status_code == 200 and again.json() == {"status": "already_delivered"}
    assert ExportItem.objects.get(pk=item.pk).delivered_at == delivered_at


def test_an_acknowledgement_with_the_wrong_hash_is_refused(api_a, dossier_a):
    item = make_item(dossier_a)
    response = api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": hashlib.sha256(b"other").hexdigest()})
    assert response.status_code == 409
    assert response.json()["code"] == "sha256_mismatch"
    assert ExportItem.objects.get(pk=item.pk).state == ItemState.WAITING


def test_an_acknowledgement_of_a_superseded_lease_is_ignored(firm_a, api_a, dossier_a):
    item = make_item(dossier_a)
    old = api_a.get(f"{API}/items/{item.pk}/content")["X-Billsync-Lease"]
    ExportItem.objects.filter(pk=item.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    second = ApiClient(create_sync_key(firm_a, "Second server")[1], firm_a)
    new = second.get(f"{API}/items/{item.pk}/content")["X-Billsync-Lease"]
    assert new != old
    response = api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256, "lease": old})
    assert response.status_code == 200 and response.json() == {"status": "ignored"}
    item.refresh_from_db()
    assert (item.state, item.lease_token, item.attempts) == (ItemState.WAITING, new, 2)
    # without a lease token, an acknowledgement while another key holds the item is ignored too
    assert api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256}).json() == {"status": "ignored"}
    assert second.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256, "lease": new}).json() == {
        "status": "delivered"
    }


def test_a_second_download_by_the_same_key_supersedes_the_first(api_a, dossier_a):
    item = make_item(dossier_a)
    first = api_a.get(f"{API}/items/{item.pk}/content")["X-Billsync-Lease"]
    second = api_a.get(f"{API}/items/{item.pk}/content")["X-Billsync-Lease"]
    assert (
        api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256, "lease": first}).json()["status"] == "ignored"
    )
    assert (
        api_a.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256, "lease": second}).json()["status"]
        == "delivered"
    )


# Failure reports ---------------------------------------------------------------------------------------------


def test_a_failure_report_is_visible_on_the_item(api_a, dossier_a):
    item = make_item(dossier_a)
    lease = api_a.get(f"{API}/items/{item.pk}/content")["X-Billsync-Lease"]
    response = api_a.post(
        f"{API}/items/{item.pk}/failure",
        {"code": "disk_full", "message": "[Errno 28] No space left on device", "lease": lease},
    )
    assert response.status_code == 200 and response.json() == {"status": "failed"}
    item.refresh_from_db()
    assert (item.state, item.error_code, item.error) == (
        ItemState.FAILED,
        "disk_full",
        "[Errno 28] No space left on device",
    )
    again = api_a.post(f"{API}/items/{item.pk}/failure", {"code": "disk_full", "message": "again"})
    assert again.json() == {"status": "ignored"}


def test_the_failure_shows_in_the_dossier_export_history(api_a, dossier_a, logged_in_a):
    item = make_item(dossier_a)
    api_a.post(f"{API}/items/{item.pk}/failure", {"code": "conflict", "message": "another file is there"})
    page = logged_in_a.get(f"/dossiers/{dossier_a.pk}/export/")
    assert page.status_code == 200
    assert "another file is there" in page.content.decode()


# Bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "suffix,body,content_type,code",
    [
        ("ack", "not json", "application/json", "malformed_request"),
        ("ack", "sha256=abc", "application/x-www-form-urlencoded", "unsupported_media_type"),
        ("ack", {}, "application/json", "invalid"),
        ("ack", {"sha256": 12}, "application/json", "invalid"),
        ("ack", {"sha256": "z" * 64}, "application/json", "invalid"),
        ("ack", [1, 2], "application/json", "invalid"),
        ("failure", {"code": "Disk Full!", "message": "x"}, "application/json", "invalid"),
        ("failure", {"message": "x"}, "application/json", "invalid"),
        ("failure", {"code": "disk_full", "message": "x" * 3000}, "application/json", "invalid"),
    ],
)
def test_bad_bodies_get_a_json_error_and_change_nothing(api_a, dossier_a, suffix, body, content_type, code):
    item = make_item(dossier_a)
    response = api_a.post(f"{API}/items/{item.pk}/{suffix}", body, content_type=content_type)
    assert response.status_code in (400, 415)
    assert response.json()["code"] == code and response.json()["message"]
    item.refresh_from_db()
    assert (item.state, item.error_code) == (ItemState.WAITING, "")


@pytest.mark.parametrize(
    "body", [{}, {"version": "1", "free_bytes": -1}, {"version": "1", "free_bytes": "lots"}, {"version": "x" * 41}]
)
def test_a_bad_heartbeat_is_refused(api_a, key_a, body):
    response = api_a.post(f"{API}/heartbeat", body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not AgentHeartbeat.objects.filter(key=key_a[0]).exists()


# Heartbeats --------------------------------------------------------------------------------------------------


def test_a_heartbeat_makes_the_agent_connected(firm_a, api_a, key_a):
    assert agent_status(firm_a)["connected"] is False
    response = api_a.post(
        f"{API}/heartbeat",
        {
            "version": "0.1.0",
            "hostname": "BOB-SERVER",
            "root": r"C:\BOB50DATA",
            "free_bytes": 123456789,
            "last_error": "",
        },
    )
    assert response.status_code == 200 and response.json()["status"] == "ok"
    status = agent_status(firm_a)
    assert status["connected"] is True and status["last_seen"] is not None
    [agent] = status["agents"]
    assert (agent["hostname"], agent["root"], agent["free_bytes"], agent["version"], agent["key_name"]) == (
        "BOB-SERVER",
        r"C:\BOB50DATA",
        123456789,
        "0.1.0",
        "Server A",
    )
    AgentHeartbeat.objects.filter(key=key_a[0]).update(seen_at=timezone.now() - timedelta(hours=1))
    assert agent_status(firm_a)["connected"] is False


# Isolation ---------------------------------------------------------------------------------------------------


def test_a_key_of_firm_b_never_sees_or_touches_firm_a(firm_a, firm_b, api_a, key_b, dossier_a):
    item = make_item(dossier_a)
    api_b = ApiClient(key_b[1], firm_a)
    config = api_b.get(f"{API}/config").json()
    assert config["firm"]["slug"] == "firm-b"
    assert dossier_a.pk not in [d["id"] for d in config["dossiers"] if d["name"] == "Bakkerij Peeters"]
    assert item.pk not in [i["id"] for i in api_b.get(f"{API}/items").json()["items"]]
    assert api_b.get(f"{API}/items/{item.pk}/content").status_code == 404
    assert api_b.post(f"{API}/items/{item.pk}/ack", {"sha256": item.sha256}).status_code == 404
    assert api_b.post(f"{API}/items/{item.pk}/failure", {"code": "conflict", "message": "x"}).status_code == 404
    item.refresh_from_db()
    assert (item.state, item.attempts, item.lease_token) == (ItemState.WAITING, 0, "")
    # and the other way round: firm A's key does not reach what firm B has
    api_b.post(f"{API}/heartbeat", {"version": "9"})
    assert [a["key_name"] for a in agent_status(firm_a)["agents"]] == []
    assert [a["key_name"] for a in agent_status(firm_b)["agents"]] == ["Server B"]


def test_the_connection_is_back_on_the_public_schema_after_a_request(firm_a, key_a, dossier_a):
    ApiClient(key_a[1]).get(f"{API}/items")
    assert connection.schema_name == "public"


# Schema ------------------------------------------------------------------------------------------------------


def test_the_openapi_schema_and_its_pages_are_served(firms, db):
    client = ApiClient(None)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    data = schema.json() if schema["Content-Type"].startswith("application/json") else None
    text = schema.content.decode()
    assert "/api/sync/v1/items/{item_id}/ack" in text and "syncKey" in text
    assert data is None or data["openapi"].startswith("3.")
    for page in ("/api/schema/swagger/", "/api/schema/redoc/"):
        response = client.get(page)
        assert response.status_code == 200
        assert "cdn" not in response.content.decode().lower()
