"""The agent's downloads: the public page lists each built file with version, size and sha256 and serves it;
the API tells agents the latest version; Settings → Integrations links the downloads and flags outdated agents;
a batch of failure reports is one request."""

import hashlib

import pytest
from django.test import Client

from sync_api.models import AgentHeartbeat

from ..conftest import host_of
from .conftest import make_item

API = "/api/sync/v1"


@pytest.fixture
def dist(tmp_path, settings):
    settings.BILLSYNC_DIST_DIR = str(tmp_path)
    files = {
        "billsync-0.3.0.pyz": b"zipapp 0.3.0",
        "billsync-0.3.0-py3-none-any.whl": b"wheel 0.3.0",
        "billsync-0.2.0.pyz": b"zipapp 0.2.0",
        "BillsyncSetup-0.3.0.exe": b"installer",
        "notes.txt": b"not offered",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return tmp_path


def test_the_downloads_page_lists_each_file_with_version_size_and_sha256(public_client, dist):
    page = public_client.get("/downloads/billsync/")
    assert page.status_code == 200
    names = [d.name for d in page.context["downloads"]]
    assert names == [
        "BillsyncSetup-0.3.0.exe",
        "billsync-0.3.0.pyz",
        "billsync-0.3.0-py3-none-any.whl",
        "billsync-0.2.0.pyz",
    ]
    html = page.content.decode()
    assert hashlib.sha256(b"zipapp 0.3.0").hexdigest() in html and "notes.txt" not in html
    assert page.context["latest_version"] == "0.3.0"


def test_a_file_is_served_with_its_sha256(public_client, dist):
    response = public_client.get("/downloads/billsync/billsync-0.3.0.pyz")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"zipapp 0.3.0"
    assert response["X-Checksum-Sha256"] == hashlib.sha256(b"zipapp 0.3.0").hexdigest()
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "name", ["notes.txt", "..%2Fpyproject.toml", "%2Fetc%2Fpasswd", "billsync-9.9.9.pyz", "billsync-0.3.0.pyz%00"]
)
def test_only_listed_files_are_served(public_client, dist, name):
    assert public_client.get(f"/downloads/billsync/{name}").status_code == 404


def test_without_built_files_the_page_says_so(public_client, settings, tmp_path):
    settings.BILLSYNC_DIST_DIR = str(tmp_path / "none")
    page = public_client.get("/downloads/billsync/")
    assert page.status_code == 200 and b"make billsync-dist" in page.content


def test_the_downloads_are_on_the_public_host_only(firm_a, dist):
    assert Client(HTTP_HOST=host_of(firm_a)).get("/downloads/billsync/").status_code == 404


def test_the_api_tells_the_agent_the_latest_version(api_a, dist):
    agent = api_a.get(f"{API}/config").json()["agent"]
    assert agent == {"latest_version": "0.3.0", "download_url": "http://localhost/downloads/billsync/"}


def test_integrations_links_the_downloads_and_flags_an_outdated_agent(logged_in_a, api_a, key_a, dist):
    api_a.post(f"{API}/heartbeat", {"version": "0.2.0", "hostname": "BOB-SERVER"})
    page = logged_in_a.get("/settings/integrations/")
    html = page.content.decode()
    assert "billsync-0.3.0.pyz" in html and "/downloads/billsync/" in html
    assert "update available: 0.3.0" in html.lower() or "update beschikbaar: 0.3.0" in html.lower()
    [agent] = page.context["agent_status"]["agents"]
    assert agent["outdated"] is True
    AgentHeartbeat.objects.filter(key=key_a[0]).update(version="0.3.0")
    [agent] = logged_in_a.get("/settings/integrations/").context["agent_status"]["agents"]
    assert agent["outdated"] is False


# Failure reports in a batch ----------------------------------------------------------------------------------


def test_many_failure_reports_in_one_request(api_a, dossier_a):
    items = [make_item(dossier_a) for _ in range(4)]
    page = api_a.post(f"{API}/items/lease", {"limit": 10}).json()
    reports = [
        {"id": item.pk, "code": "permission_denied", "message": f"{item.path}: denied", "lease": page["lease"]}
        for item in items[:3]
    ]
    reports.append({"id": items[0].pk, "code": "disk_full", "message": "again", "lease": page["lease"]})
    reports.append({"id": 999_999_999, "code": "conflict", "message": "", "lease": page["lease"]})
    reports.append({"id": items[3].pk, "code": "conflict", "message": "", "lease": "bsk_other.superseded"})
    response = api_a.post(f"{API}/items/failures", {"items": reports})
    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["results"]] == [
        "failed",
        "failed",
        "failed",
        "ignored",
        "not_found",
        "ignored",
    ]
    for item in items:
        item.refresh_from_db()
    assert [(i.state, i.error_code) for i in items] == [("failed", "permission_denied")] * 3 + [("waiting", "")]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": []},
        {"items": [{"id": 1, "code": "Not A Code"}]},
        {"items": [{"id": 0, "code": "conflict"}]},
        {"items": [{"id": 1, "code": "conflict", "message": "x" * 2001}]},
    ],
)
def test_a_bad_failure_batch_is_refused(api_a, body):
    response = api_a.post(f"{API}/items/failures", body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
