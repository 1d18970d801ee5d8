"""With PostgreSQL or Redis unreachable, pages answer 503 in the visitor's language with Retry-After; /healthz
and /readyz answer a load balancer with a status only."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
CLOSED = "127.0.0.1:9"  # the discard port: nothing listens on it here


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def portal_process(firms):
    """Start a production-like portal (DEBUG off, gunicorn) with the given environment; yield its get()."""
    started = []

    def start(**env):
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env={
                **os.environ,
                "DEBUG": "0",
                "SECRET_KEY": "test-only-" + "s" * 50,
                "SECURE_SSL_REDIRECT": "0",
                "BEHIND_TLS_PROXY": "0",
                "DATABASE_NAME": connection.settings_dict["NAME"],
                **env,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)

        def get(path: str, host: str = "localhost", language: str = "fr"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Host": host, "Accept-Language": language}
            )
            try:
                with urllib.request.urlopen(request, timeout=20) as response:
                    return response.status, dict(response.headers), response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers), error.read().decode()

        return get

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=20)


def test_pages_answer_503_in_the_visitors_language_while_the_database_is_unreachable(portal_process):
    get = portal_process(DATABASE_URL=f"postgresql://postgres@{CLOSED}/portal", DATABASE_NAME="")
    status, headers, body = get("/accounts/login/", language="fr")
    assert status == 503 and headers["Retry-After"].isdigit()
    assert "Temporairement indisponible" in body and "Traceback" not in body
    status, _headers, body = get("/", host="firm-a.localhost", language="nl")
    assert status == 503 and "Tijdelijk niet beschikbaar" in body
    assert get("/healthz")[0] == 200
    status, _headers, body = get("/readyz")
    assert status == 503 and body == "unavailable\n"


def test_pages_answer_503_while_redis_is_unreachable(portal_process):
    get = portal_process(REDIS_URL=f"redis://{CLOSED}/0")
    status, headers, body = get("/accounts/login/", host="firm-a.localhost", language="nl")
    assert status == 503 and "Retry-After" in headers and "Tijdelijk niet beschikbaar" in body
    assert get("/readyz")[0] == 503


def test_health_probes_answer_any_host_with_a_status_only(firms, db):
    client = Client(HTTP_HOST="unknown.example")
    live = client.get("/healthz")
    assert live.status_code == 200 and live.content == b"ok\n"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.content == b"ok\n"
