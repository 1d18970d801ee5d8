"""Failure reports go to the portal in batches: one request for many failures (a fake portal counts them)."""

import json

import httpx

from billsync.agent import Agent
from billsync.client import Api
from billsync.config import Config

SHA = "0" * 64


def fake_portal(items, requests, batch_endpoint=True):
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/sync/v1/")
        requests.append((request.method, path))
        if path == "heartbeat":
            return httpx.Response(200, json={"status": "ok", "poll_interval": 60})
        if path == "config":
            return httpx.Response(200, json={"firm": {"name": "Kantoor", "slug": "k"}, "dossiers": []})
        if path == "items/lease":
            return httpx.Response(200, json={"items": items, "lease": "bsk_x.l", "next": 99, "has_more": False})
        if path == "items/failures" and batch_endpoint:
            reports = json.loads(request.content)["items"]
            return httpx.Response(200, json={"results": [{"id": r["id"], "status": "failed"} for r in reports]})
        if path.endswith("/failure"):
            return httpx.Response(200, json={"status": "failed"})
        return httpx.Response(404, json={"code": "not_found", "message": "No such API endpoint."})

    return handle


def agent_with(tmp_path, handler) -> Agent:
    config = Config(url="http://portal.test", key="bsk_abcdefgh_" + "x" * 43, root=str(tmp_path))
    api = Api(config.url, config.key, retries=0)
    api.http = httpx.Client(base_url="http://portal.test/api/sync/v1/", transport=httpx.MockTransport(handler))
    return Agent(config, api=api)


def hostile(count: int) -> list[dict]:
    return [
        {"id": n, "dossier": 1, "kind": "purchases", "path": f"../outside-{n}.xml", "size": 3, "sha256": SHA}
        for n in range(1, count + 1)
    ]


def test_many_failures_are_reported_in_one_request(tmp_path):
    requests = []
    agent = agent_with(tmp_path, fake_portal(hostile(30), requests))
    result = agent.run_once()
    assert (result.failed, result.postponed) == (30, 0)
    assert requests.count(("POST", "items/failures")) == 1
    assert not [path for _method, path in requests if path.endswith("/failure")]
    assert {failure.code for failure in result.failures} == {"unsafe_path"}


def test_a_portal_without_the_batch_endpoint_gets_them_one_by_one(tmp_path):
    requests = []
    agent = agent_with(tmp_path, fake_portal(hostile(3), requests, batch_endpoint=False))
    result = agent.run_once()
    assert result.failed == 3
    assert [path for _method, path in requests if path.endswith("/failure")] == [
        f"items/{n}/failure" for n in (1, 2, 3)
    ]


def test_failures_that_cannot_be_reported_are_postponed(tmp_path):
    requests = []
    portal = fake_portal(hostile(2), requests)

    def broken_reports(request):
        if request.url.path.endswith("items/failures"):
            return httpx.Response(400, json={"code": "invalid", "message": "no"})
        return portal(request)

    result = agent_with(tmp_path, broken_reports).run_once()
    assert (result.failed, result.postponed, result.failures) == (0, 2, [])
