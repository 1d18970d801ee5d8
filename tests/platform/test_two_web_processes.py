"""Stateless web: two web processes (gunicorn, as in production) on the same database, Redis and bucket, each
with a local disk of its own, used alternately by one browser session."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from firms.services import firm_host
from tests.branding.conftest import form_data, png
from tests.conftest import PASSWORD
from tests.object_storage import ACCESS, REGION, free_port

ROOT = Path(__file__).resolve().parents[2]


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def two_web_processes(bucket_storage, tmp_path):
    """The base URLs of two gunicorn processes sharing the test database, Redis and the test's bucket."""
    processes, urls = [], []
    for number in (1, 2):
        port = free_port()
        media = tmp_path / f"media-{number}"
        media.mkdir()
        env = {
            **os.environ,
            "DATABASE_NAME": connection.settings_dict["NAME"],
            "MEDIA_ROOT": str(media),
            "AWS_STORAGE_BUCKET_NAME": bucket_storage.bucket,
            "AWS_S3_ENDPOINT_URL": bucket_storage.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": ACCESS["aws_secret_access_key"],
            "AWS_S3_REGION_NAME": REGION,
        }
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for process, url in zip(processes, urls, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url + "/healthz", timeout=2)
                    break
                except httpx.TransportError:
                    assert process.poll() is None, process.stderr.read()
                    assert time.monotonic() < deadline, f"{url} did not start"
                    time.sleep(0.3)
        yield urls, [tmp_path / "media-1", tmp_path / "media-2"]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_one_session_alternates_between_two_web_processes(two_web_processes, new_firms, bucket_storage):
    (web_1, web_2), media_roots = two_web_processes
    firm, owner = new_firms("Twee Servers")
    host = {"Host": firm_host(firm.slug)}
    browser = httpx.Client(headers=host, timeout=30)

    login_page = browser.get(f"{web_1}/accounts/login/")  # the form from process 1…
    answer = browser.post(  # …sent to process 2: the CSRF cookie and the session are not tied to a process
        f"{web_2}/accounts/login/",
        data={"username": owner.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(login_page.text)},
        headers={"Referer": f"http://{host['Host']}/accounts/login/"},
    )
    assert answer.status_code == 302, answer.text[:500]
    assert browser.get(f"{web_1}/dashboard/").status_code == 200  # logged in on process 1 too

    settings_page = browser.get(f"{web_2}/settings/branding/")
    assert settings_page.status_code == 200
    saved = browser.post(  # a file uploaded to process 1…
        f"{web_1}/settings/branding/",
        data={**form_data(), "csrfmiddlewaretoken": csrf_token(settings_page.text)},
        files={"logo": ("logo.png", png(), "image/png")},
        headers={"Referer": f"http://{host['Host']}/settings/branding/"},
    )
    assert saved.status_code == 302, saved.text[:500]
    page = browser.get(f"{web_2}/settings/branding/").text  # …is shown and served by process 2
    logo_url = re.search(r'src="(/branding/files/logo-[0-9a-f]{20}\.png)"', page).group(1)
    served = browser.get(f"{web_2}{logo_url}")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/png"
    assert browser.get(f"{web_1}{logo_url}").content == served.content

    assert [key for key in bucket_storage.keys() if key.startswith(f"{firm.schema_name}/branding/logo-")]
    assert not [path for root in media_roots for path in root.rglob("*") if path.is_file()]  # no local disk used
