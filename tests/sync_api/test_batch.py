"""The batch protocol of the Billsync API: lease a page, download under its lease (one file or a bundle),
acknowledge a batch; and that two keys leasing at the same moment never get the same item."""

import hashlib
import json
import threading

import pytest
from django.db import connection, connections

from documents.models import DocumentStatus
from exports.models import ExportItem, ExportSettings, ItemState
from sync_api.services import create_sync_key, lease_items
from tests.factories import DocumentFactory, DossierFactory

from .conftest import ApiClient, make_item

API = "/api/sync/v1"


def lease(client, **body):
    response = client.post(f"{API}/items/lease", body)
    assert response.status_code == 200, response.content
    return response.json()


def frames(response) -> list[tuple[dict, bytes]]:
    """The bundle's files: (header, bytes)."""
    data = b"".join(response.streaming_content)
    result = []
    while data:
        line, data = data.split(b"\n", 1)
        head = json.loads(line)
        size = head.get("size", 0)
        result.append((head, data[:size]))
        data = data[size:]
    return result


# Leasing a page ----------------------------------------------------------------------------------------------


def test_a_page_is_leased_in_id_order_under_one_token(api_a, dossier_a):
    items = [make_item(dossier_a) for _ in range(5)]
    first = lease(api_a, limit=3)
    assert [i["id"] for i in first["items"]] == [i.pk for i in items[:3]]
    assert first["has_more"] is True and first["next"] == items[2].pk and first["lease_seconds"] > 0
    assert first["items"][0] == {
        "id": items[0].pk,
        "dossier": dossier_a.pk,
        "kind": "purchases",
        "path": items[0].path,
        "size": items[0].size,
        "sha256": items[0].sha256,
    }
    rows = ExportItem.objects.filter(pk__in=[i.pk for i in items]).order_by("pk")
    assert [row.lease_token for row in rows] == [first["lease"]] * 3 + ["", ""]
    assert {row.attempts for row in rows} == {0}  # a lease is not a download
    second = lease(api_a, limit=3, after=first["next"])
    assert [i["id"] for i in second["items"]] == [i.pk for i in items[3:]] and second["has_more"] is False
    empty = lease(api_a, after=second["next"])
    assert (empty["items"], empty["next"], empty["has_more"]) == ([], second["next"], False)


def test_a_page_leased_by_another_key_is_not_offered_until_it_expires(firm_a, api_a, dossier_a):
    from datetime import timedelta

    from django.utils import timezone

    items = [make_item(dossier_a) for _ in range(3)]
    taken = lease(api_a, limit=2)
    second = ApiClient(create_sync_key(firm_a, "Second server")[1], firm_a)
    assert [i["id"] for i in lease(second)["items"]] == [items[2].pk]
    # the same key leases its own items again (a restarted agent), with a new token
    again = lease(api_a)
    assert [i["id"] for i in again["items"]] == [items[0].pk, items[1].pk] and again["lease"] != taken["lease"]
    ExportItem.objects.filter(pk=items[0].pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert [i["id"] for i in lease(second)["items"]] == [items[0].pk, items[2].pk]


@pytest.mark.parametrize("body", [{"limit": 0}, {"limit": 501}, {"after": -1}, {"limit": "ten"}])
def test_a_bad_lease_request_is_refused(api_a, body):
    response = api_a.post(f"{API}/items/lease", body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_two_keys_leasing_at_the_same_moment_get_disjoint_pages(committed, dossier):
    items = [make_item(dossier) for _ in range(60)]
    keys = [create_sync_key(committed, f"Server {n}")[0] for n in range(3)]
    barrier = threading.Barrier(len(keys))
    pages, errors = {}, []

    def take(key):
        try:
            connection.set_tenant(committed)
            barrier.wait(timeout=10)
            pages[key.pk] = {item["id"] for item in lease_items(key, 0, 30)[0]}
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    taken = [page for page in pages.values()]
    assert sum(len(page) for page in taken) == len(set().union(*taken)) == 60  # disjoint, and all of them
    tokens = dict(ExportItem.objects.filter(pk__in=[i.pk for i in items]).values_list("pk", "lease_token"))
    for key in keys:
        assert {pk for pk, token in tokens.items() if token.startswith(key.prefix + ".")} == pages[key.pk]


@pytest.fixture
def dossier(committed):
    dossier = DossierFactory(name="Bakkerij Peeters")
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(bob_reference="REF"))
    return dossier


# Downloading under the lease ---------------------------------------------------------------------------------


def test_a_download_under_the_page_lease_counts_an_attempt_and_keeps_the_token(api_a, dossier_a):
    item = make_item(dossier_a, b"<Invoice>leased</Invoice>")
    page = lease(api_a)
    response = api_a.get(f"{API}/items/{item.pk}/content", **{"X-Billsync-Lease": page["lease"]})
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"<Invoice>leased</Invoice>"
    assert response["X-Billsync-Lease"] == page["lease"]
    item.refresh_from_db()
    assert (item.lease_token, item.attempts) == (page["lease"], 1)


def test_a_download_under_a_superseded_lease_is_refused(firm_a, api_a, dossier_a):
    item = make_item(dossier_a)
    old = lease(api_a)["lease"]
    lease(api_a)  # a newer page supersedes it
    response = api_a.get(f"{API}/items/{item.pk}/content", **{"X-Billsync-Lease": old})
    assert response.status_code == 409 and response.json()["code"] == "leased"
    ExportItem.objects.filter(pk=item.pk).update(state=ItemState.DELIVERED)
    response = api_a.get(f"{API}/items/{item.pk}/content", **{"X-Billsync-Lease": old})
    assert response.status_code == 409 and response.json()["code"] == "not_pending"
    assert ExportItem.objects.get(pk=item.pk).attempts == 0


def test_a_bundle_holds_each_leased_file_once_with_its_header(firm_a, api_a, dossier_a, firm_b, key_b):
    items = [make_item(dossier_a, f"<Invoice>{n}</Invoice>".encode() * (n + 1)) for n in range(3)]
    page = lease(api_a)
    ids = [items[2].pk, items[0].pk, items[1].pk, items[0].pk]
    response = api_a.post(f"{API}/items/content", {"ids": ids}, **{"X-Billsync-Lease": page["lease"]})
    assert response.status_code == 200 and response["Content-Type"] == "application/x-billsync-bundle"
    got = frames(response)
    assert [head["id"] for head, _data in got] == [items[2].pk, items[0].pk, items[1].pk]
    by_id = {i.pk: i for i in items}
    for head, data in got:
        assert head == {"id": head["id"], "size": by_id[head["id"]].size, "sha256": by_id[head["id"]].sha256}
        assert hashlib.sha256(data).hexdigest() == head["sha256"]
    assert {row.attempts for row in ExportItem.objects.filter(pk__in=ids)} == {1}
    # items not under this lease, of another firm, or unknown: an error line each, no bytes, nothing changed
    delivered = make_item(dossier_a)
    ExportItem.objects.filter(pk=delivered.pk).update(state=ItemState.DELIVERED, lease_token=page["lease"])
    other = make_item(dossier_a)
    response = api_a.post(
        f"{API}/items/content", {"ids": [delivered.pk, other.pk, 999999999]}, **{"X-Billsync-Lease": page["lease"]}
    )
    assert [head for head, _data in frames(response)] == [
        {"id": delivered.pk, "error": "not_pending"},
        {"id": other.pk, "error": "leased"},
        {"id": 999999999, "error": "not_found"},
    ]
    api_b = ApiClient(key_b[1], firm_a)
    page_b = lease(api_b)
    response = api_b.post(f"{API}/items/content", {"ids": [items[0].pk]}, **{"X-Billsync-Lease": page_b["lease"]})
    assert [head for head, _data in frames(response)] in (
        [{"id": items[0].pk, "error": "not_found"}],
        [{"id": items[0].pk, "error": "leased"}],
    )
    assert ExportItem.objects.get(pk=items[0].pk).attempts == 1


def test_a_bundle_without_this_key_lease_serves_nothing(firm_a, api_a, dossier_a):
    item = make_item(dossier_a)
    second = ApiClient(create_sync_key(firm_a, "Second server")[1], firm_a)
    page = lease(api_a)
    for client, token in ((api_a, ""), (second, page["lease"])):
        response = client.post(f"{API}/items/content", {"ids": [item.pk]}, **{"X-Billsync-Lease": token})
        assert [head for head, _data in frames(response)] == [{"id": item.pk, "error": "leased"}]
    assert ExportItem.objects.get(pk=item.pk).attempts == 0


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": [0]}, {"ids": ["x"]}, {"ids": list(range(1, 102))}])
def test_a_bad_bundle_request_is_refused(api_a, body):
    response = api_a.post(f"{API}/items/content", body, **{"X-Billsync-Lease": "x"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


# Batch acknowledgement ---------------------------------------------------------------------------------------


def test_a_batch_acknowledgement_with_a_wrong_hash_in_the_middle(api_a, dossier_a):
    relaxed = DossierFactory(name="Zonder slot")
    ExportSettings.objects.update_or_create(
        dossier=relaxed, defaults=dict(bob_reference="RELAX", lock_after_export=False)
    )
    documents = [
        DocumentFactory(dossier=dossier_a),
        DocumentFactory(dossier=dossier_a),
        DocumentFactory(dossier=relaxed),
    ]
    items = [make_item(document.dossier, document=document) for document in documents]
    token = lease(api_a)["lease"]
    wrong = hashlib.sha256(b"other").hexdigest()
    body = {
        "items": [
            {"id": items[0].pk, "sha256": items[0].sha256, "lease": token},
            {"id": items[1].pk, "sha256": wrong, "lease": token},
            {"id": items[2].pk, "sha256": items[2].sha256.upper(), "lease": token},
        ]
    }
    response = api_a.post(f"{API}/items/ack", body)
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"id": items[0].pk, "status": "delivered"},
            {"id": items[1].pk, "status": "sha256_mismatch"},
            {"id": items[2].pk, "status": "delivered"},
        ]
    }
    rows = {row.pk: row for row in ExportItem.objects.filter(pk__in=[i.pk for i in items])}
    assert [rows[i.pk].state for i in items] == [ItemState.DELIVERED, ItemState.WAITING, ItemState.DELIVERED]
    assert (rows[items[0].pk].delivered_by, rows[items[0].pk].lease_token) == ("Server A", "")
    assert rows[items[1].pk].lease_token == token  # still leased: the agent may try again
    for document in documents:
        document.refresh_from_db()
    assert [(d.status, d.locked) for d in documents] == [
        (DocumentStatus.EXPORTED, True),
        (documents[1].status, False),
        (DocumentStatus.EXPORTED, False),
    ]
    assert documents[1].status != DocumentStatus.EXPORTED

    again = api_a.post(f"{API}/items/ack", {"items": body["items"][:1] + body["items"][:1]})
    assert [r["status"] for r in again.json()["results"]] == ["already_delivered", "already_delivered"]


def test_a_batch_acknowledgement_ignores_superseded_leases_and_unknown_items(firm_a, api_a, dossier_a, key_b):
    from datetime import timedelta

    from django.utils import timezone

    mine, lost = make_item(dossier_a), make_item(dossier_a)
    old = lease(api_a)["lease"]
    ExportItem.objects.filter(pk=lost.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    second = ApiClient(create_sync_key(firm_a, "Second server")[1], firm_a)
    assert [i["id"] for i in lease(second)["items"]] == [lost.pk]
    response = api_a.post(
        f"{API}/items/ack",
        {
            "items": [
                {"id": mine.pk, "sha256": mine.sha256, "lease": old},
                {"id": lost.pk, "sha256": lost.sha256, "lease": old},
                {"id": 999999999, "sha256": mine.sha256, "lease": old},
            ]
        },
    )
    assert [r["status"] for r in response.json()["results"]] == ["delivered", "ignored", "not_found"]
    assert ExportItem.objects.get(pk=lost.pk).state == ItemState.WAITING
    # a key of another firm does not reach these items
    api_b = ApiClient(key_b[1], firm_a)
    response = api_b.post(f"{API}/items/ack", {"items": [{"id": lost.pk, "sha256": lost.sha256}]})
    assert response.json()["results"] == [{"id": lost.pk, "status": "not_found"}]
    assert ExportItem.objects.get(pk=lost.pk).state == ItemState.WAITING


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": []},
        {"items": [{"id": 1}]},
        {"items": [{"id": 1, "sha256": "z"}]},
        {"items": [{"id": 0, "sha256": "0" * 64}]},
        [1, 2],
        {"items": [{"id": n, "sha256": "0" * 64} for n in range(1, 502)]},
    ],
)
def test_a_bad_batch_acknowledgement_is_refused(api_a, dossier_a, body):
    item = make_item(dossier_a)
    response = api_a.post(f"{API}/items/ack", body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert ExportItem.objects.get(pk=item.pk).state == ItemState.WAITING


def test_the_schema_describes_the_batch_endpoints(firms, db):
    text = ApiClient(None).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/sync/v1/items/lease", "/api/sync/v1/items/ack", "/api/sync/v1/items/content"):
        assert path in text


# The cached key lookup ---------------------------------------------------------------------------------------


def test_a_key_revoked_or_deleted_another_way_is_refused_at_once(firm_a, key_a, api_a):
    from django.utils import timezone

    from sync_api.models import SyncKey

    assert api_a.get(f"{API}/config").status_code == 200  # the key is cached now
    key = SyncKey.objects.get(pk=key_a[0].pk)
    key.revoked_at = timezone.now()
    key.save()  # e.g. the operator admin
    assert api_a.get(f"{API}/config").status_code == 401
    other, raw = create_sync_key(firm_a, "Other")
    client = ApiClient(raw, firm_a)
    assert client.get(f"{API}/config").status_code == 200
    SyncKey.objects.filter(pk=other.pk).delete()
    assert client.get(f"{API}/config").status_code == 401


def test_the_throttle_holds_across_a_window_boundary(api_a, monkeypatch):
    import time

    from sync_api import authentication

    monkeypatch.setattr(authentication.SyncKeyThrottle, "THROTTLE_RATES", {"sync_key": "3/min"})
    start = (int(time.time()) // 60 + 10) * 60  # a window no other test used
    clock = iter([start - 0.5, start - 0.4, start - 0.3, start + 0.2, start + 59.9, start + 120.5])
    monkeypatch.setattr(authentication.SyncKeyThrottle, "timer", lambda self: next(clock))
    statuses = [api_a.get(f"{API}/items").status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 429, 200, 200]
