"""Browser tests: a live portal in a thread (committed data, real PostgreSQL) and real Chromium (both from
tests/conftest.py, shared with other apps' browser tests).

Chromium resolves every `*.localhost` name to the loopback address, so firm hosts work without DNS.
Screenshots go to test-output/ for a person to look at.
"""

import pytest
from django.db import connections

from tests.conftest import OUTPUT, watch_csp


@pytest.fixture(scope="session")
def browser_firm(live_portal, django_db_blocker):
    """A firm of its own for browser tests: what they commit must not show up in other tests' firms."""
    from firms.services import NewFirm, create_firm

    from ..conftest import PASSWORD

    with django_db_blocker.unblock():
        firm, _owner = create_firm(
            NewFirm(
                "Kantoor Browser",
                "kantoor-browser",
                "0417497106",
                "Eigenaar Browser",
                "owner-browser@example.com",
                PASSWORD,
            )
        )
    return firm


@pytest.fixture
def page(browser, django_db_blocker, csp_violations):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    watch_csp(page, csp_violations)
    page.set_default_timeout(15000)
    OUTPUT.mkdir(exist_ok=True)
    with django_db_blocker.unblock():
        yield page
        # While Playwright's loop runs, Django keys connections by context, not thread: close the test's own.
        connections.close_all()
    context.close()
