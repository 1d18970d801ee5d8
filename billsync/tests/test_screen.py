"""The configuration screen's guards, without a browser: loopback only, the token, the Host header, no other
origin, no CORS; and the folder check (Chromium drives the whole screen in tests/sync_api/test_config_screen.py)."""

import http.client
import os
import shutil
import socket
import subprocess
import threading

import pytest

from billsync.folders import check_folder, is_unc, normalise
from billsync.screen import ScreenServer, Session
from billsync.screen_text import TEXT, system_language


@pytest.fixture
def screen(tmp_path, monkeypatch):
    monkeypatch.setenv("BILLSYNC_CONFIG", str(tmp_path / "config" / "config.json"))
    session = Session(token="the-token-of-this-run", language="en")
    server = ScreenServer(session, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield session
    server.shutdown()
    server.server_close()


def request(session, method, path, host=None, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", session.port, timeout=10)
    connection.request(
        method, path, body=body, headers={"Host": host or f"127.0.0.1:{session.port}", **(headers or {})}
    )
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read().decode()


def test_it_listens_on_the_loopback_address_only(screen):
    others = {
        info[4][0]
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not info[4][0].startswith("127.")
    }
    others |= (
        {
            address
            for address in subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
            if "." in address and not address.startswith("127.")
        }
        if shutil.which("hostname")
        else set()
    )
    if not others:
        pytest.skip("this machine has no address but the loopback one")
    for address in others:
        with pytest.raises(OSError):
            socket.create_connection((address, screen.port), timeout=2).close()


def test_the_token_is_needed(screen):
    assert request(screen, "GET", "/config?token=the-token-of-this-run")[0] == 200
    for path in ("/config", "/config?token=wrong", "/status?token=", "/?token=the-token-of-this-run-"):
        status, _headers, body = request(screen, "GET", path)
        assert status == 403 and "token" in body
    assert request(screen, "POST", "/sync", body="", headers={"Content-Length": "0"})[0] == 403


def test_a_foreign_host_or_origin_is_refused(screen):
    token = "?token=the-token-of-this-run"
    assert request(screen, "GET", f"/config{token}", host=f"attacker.example:{screen.port}")[0] == 403
    assert request(screen, "GET", f"/config{token}", host="127.0.0.1")[0] == 403  # another port: not this screen
    assert request(screen, "GET", f"/config{token}", host=f"localhost:{screen.port}")[0] == 200
    status, *_rest = request(
        screen,
        "POST",
        f"/sync{token}",
        body="",
        headers={"Origin": "http://attacker.example", "Content-Length": "0"},
    )
    assert status == 403


def test_no_cors_headers_and_no_referrer(screen):
    status, headers, _body = request(
        screen, "GET", "/config?token=the-token-of-this-run", headers={"Origin": f"http://127.0.0.1:{screen.port}"}
    )
    assert status == 200
    assert not [name for name in headers if name.lower().startswith("access-control-")]
    assert (
        headers["Referrer-Policy"] == "same-origin" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    )
    status, headers, _body = request(screen, "OPTIONS", "/config?token=the-token-of-this-run")
    assert status == 405 and not [name for name in headers if name.lower().startswith("access-control-")]


def test_every_language_has_every_text():
    assert set(TEXT["nl"]) == set(TEXT["fr"]) == set(TEXT["en"])


@pytest.mark.parametrize(
    "environ,language",
    [
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LC_ALL": "fr_BE.UTF-8", "LANG": "nl_BE.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_the_system_language_is_the_default(environ, language):
    assert system_language(environ) == language


def test_a_folder_is_checked_by_writing_a_test_file(tmp_path):
    assert check_folder(str(tmp_path)).ok and list(tmp_path.iterdir()) == []
    assert check_folder(str(tmp_path / "missing")).reason == "folder_missing"
    (tmp_path / "file.txt").write_text("x")
    assert check_folder(str(tmp_path / "file.txt")).reason == "folder_not_dir"
    assert check_folder("  ").reason == "folder_empty"


def test_a_folder_that_refuses_writing_is_refused(tmp_path):
    """As root, permission bits do not stop a write: /sys/kernel is a real folder in which nobody, root
    included, can create a file. As another user a folder without write permission does."""
    if os.geteuid() == 0:
        folder = "/sys/kernel"
        if not os.path.isdir(folder):
            pytest.skip("no /sys/kernel on this system")
    else:
        folder = str(tmp_path / "read-only")
        os.mkdir(folder, 0o555)
    check = check_folder(folder)
    assert (check.ok, check.reason) == (False, "folder_readonly") and check.detail


def test_unc_paths_are_taken_as_typed():
    assert (
        is_unc(r"\\server\share\BOB50DATA") and normalise(r" \\server\share\BOB50DATA ") == r"\\server\share\BOB50DATA"
    )
    assert check_folder(r"\\server-that-does-not-exist\share").reason == "folder_missing"
