"""Browser tests: a live portal in a thread (committed data, real PostgreSQL) and real Chromium.

Chromium resolves every `*.localhost` name to the loopback address, so firm hosts work without DNS.
Screenshots go to test-output/ for a person to look at.
"""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.test.testcases import LiveServerThread

# Playwright's sync API keeps an event loop running in this thread; Django would then refuse ORM calls in the
# test body as "async context". The calls are synchronous, so this is safe here (pytest-playwright does the same).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parent.parent.parent / "test-output"


@pytest.fixture(scope="session")
def live_portal(firms, django_db_blocker):
    """Base URL (public host) of a portal served from this process; data the test writes is committed."""
    threads_before = threading.active_count()
    with django_db_blocker.unblock():
        server = LiveServerThread("127.0.0.1", lambda app: StaticFilesHandler(WSGIHandler()), port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://localhost:{server.port}"
        server.terminate()
    # Request threads serving the browser's keep-alive connections hold database connections until the
    # browser hangs up; let them finish so the test database can be dropped.
    deadline = time.monotonic() + 10
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture(scope="session")
def browser_firm(live_portal, django_db_blocker):
    """A firm of its own for browser tests: what they commit must not show up in other tests' firms."""
    from portal.services import NewFirm, create_firm

    from ..conftest import PASSWORD

    with django_db_blocker.unblock():
        firm, _owner = create_firm(NewFirm("Kantoor Browser", "kantoor-browser", "0417497106", "Eigenaar Browser",
                                           "owner-browser@example.com", PASSWORD))
    return firm


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; `.ci/run` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()
    connections.close_all()


@pytest.fixture
def page(browser, django_db_blocker):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    OUTPUT.mkdir(exist_ok=True)
    with django_db_blocker.unblock():
        yield page
        # While Playwright's loop runs, Django keys connections by context, not thread: close the test's own.
        connections.close_all()
    context.close()
