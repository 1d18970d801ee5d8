"""Shared fixtures: real PostgreSQL and Redis, firms created once per test run and reused.

Each firm costs a schema with its migrations (about half a second), so the two firms below are made once
per session, outside the per-test transaction, and every test's own rows are rolled back after it.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import Client

from firms.models import Firm, Membership, User
from firms.services import NewFirm, create_firm, ensure_public_site, firm_host
from tests.live import portal_thread
from tests.object_storage import bucket_storage, file_storage, s3_endpoint  # noqa: F401 -- shared fixtures

# Connections of the live server's request threads must not outlive their requests, or the test database
# cannot be dropped at the end of the run.
settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PASSWORD = "correct-horse-battery-9"


def _make_firm(slug: str, name: str, number: str, owner_email: str) -> Firm:
    firm, _owner = create_firm(
        NewFirm(
            name=name,
            slug=slug,
            enterprise_number=number,
            owner_name=f"Owner {name}",
            owner_email=owner_email,
            owner_password=PASSWORD,
        )
    )
    return firm


@pytest.fixture(scope="session")
def firms(django_db_setup, django_db_blocker):
    """Two firms, A and B, with one owner each, committed for the whole run."""
    with django_db_blocker.unblock():
        ensure_public_site()
        firm_a = _make_firm("firm-a", "Firm A", "0403170701", "owner-a@example.com")
        firm_b = _make_firm("firm-b", "Firm B", "0202239951", "owner-b@example.com")
        connection.set_schema_to_public()
    return firm_a, firm_b


@pytest.fixture
def firm_a(firms, db):
    """Firm A, with the connection in its schema (public tables stay visible through the search path)."""
    connection.set_tenant(firms[0])
    yield firms[0]
    connection.set_schema_to_public()


@pytest.fixture
def firm_b(firms, db):
    return firms[1]


@pytest.fixture
def owner_a(firm_a):
    return User.objects.get(email="owner-a@example.com")


@pytest.fixture
def owner_b(firm_b):
    return User.objects.get(email="owner-b@example.com")


def host_of(firm: Firm) -> str:
    return firm_host(firm.slug)


@pytest.fixture
def public_client(firms, db):
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def client_a(firm_a):
    return Client(HTTP_HOST=host_of(firm_a))


@pytest.fixture
def client_b(firm_b):
    return Client(HTTP_HOST=host_of(firm_b))


@pytest.fixture
def logged_in_a(client_a, owner_a):
    client_a.force_login(owner_a)
    return client_a


@pytest.fixture
def staff_a(firm_a):
    user = User.objects.create_user("staff-a@example.com", PASSWORD, full_name="Staff A")
    Membership.objects.create(user=user, firm=firm_a, role=Membership.Role.STAFF)
    return user


@pytest.fixture(scope="session")
def shared_dir():
    if not (SHARED / "oracles").is_dir():
        pytest.skip("../shared (oracles and fixtures) is not beside this checkout; CI always has it")
    return SHARED


@pytest.fixture(scope="session")
def oracle_python(shared_dir):
    """The oracles' own virtual environment (make test creates it beside the project's): they are a judge,
    run as programs, never imported."""
    python = Path(os.environ.get("ORACLE_PYTHON", Path(__file__).resolve().parents[1] / ".venv-oracle/bin/python"))
    if not python.exists():
        pytest.fail(
            f"the oracle's environment is missing ({python}); `make test` creates it from "
            f"{shared_dir}/oracles/requirements.txt"
        )
    return python


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    """Counters per client address live in Redis, outside the test's transaction: every test starts afresh."""
    yield
    from django.core.cache import caches

    caches["throttle"].delete_many(
        [f"throttle:{name}:{address}" for name in settings.THROTTLE_LIMITS for address in ("127.0.0.1", "unknown")]
    )


# Celery ----------------------------------------------------------------------------------------------------


@pytest.fixture
def eager_tasks():
    """Tasks run at once, in this process (inside the test's transaction): for tests that look at the outcome
    of a worker's job rather than at the worker. Wrap the request in `django_capture_on_commit_callbacks(
    execute=True)` to queue what the request queued on commit."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def mail_in_process():
    """Mail sent at once in this process (the outbox), not queued for a worker after the request commits: for
    tests that read `mail.outbox` (inside the test's transaction nothing ever commits)."""
    settings.MAIL_IN_PROCESS = True
    yield
    settings.MAIL_IN_PROCESS = False


@pytest.fixture(scope="module")
def celery_worker(firms):
    """A real Celery worker process on the test database and the same media folder, consuming the queues of
    this run's Redis database (emptied first). Per module: a worker left running would take the tasks other
    modules look for in Redis (tests/platform/test_queues.py)."""
    import subprocess
    import sys

    from config.celery import app

    app.control.purge()
    mail_dir = tempfile.mkdtemp(prefix="portal-test-mail-")  # what the worker sends lands here, a file a message
    env = {
        **os.environ,
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_FILE_PATH": mail_dir,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING"]
        + ["--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
    )
    worker.mail_dir = Path(mail_dir)  # type: ignore[attr-defined]
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


# Browser tests ---------------------------------------------------------------------------------------------

# Playwright's sync API keeps an event loop running in this thread; Django would then refuse ORM calls in the
# test body as "async context". The calls are synchronous, so this is safe here (pytest-playwright does the same).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


@pytest.fixture(scope="session")
def live_portal(firms, django_db_blocker):
    """Base URL (public host) of a portal served from this process; data the test writes is committed."""
    with portal_thread(django_db_blocker, lambda app: StaticFilesHandler(WSGIHandler())) as port:
        yield f"http://localhost:{port}"


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; `.ci/run` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
    connections.close_all()


def watch_csp(page, violations: list) -> None:
    """Collect what Chromium reports as refused by the Content-Security-Policy (or any script error)."""
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: violations.append(str(error)))


@pytest.fixture
def csp_violations():
    """Every page a browser test opens (with `page`, or `watch_csp` on its own pages) reports no violation."""
    violations: list[str] = []
    yield violations
    assert violations == []


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright keeps an event loop in the main thread while its browser is open,
    and Django would key the other tests' connections by that loop's context."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _language_stays_in_its_test():
    """A request in French (or `translation.activate`) leaves that language active in this thread: every test
    starts and ends in the portal's default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
