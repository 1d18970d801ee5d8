"""Sign-up's confirmation, when creating the firm is slow: after a second the page says what is happening, and a
second click sends nothing. Real Chromium against the live portal; the browser holds the confirmation request
back for a few seconds (as a loaded server would answer late), then lets it through to the real portal."""

import re

import pytest
from django.core import mail

from firms.models import Firm
from firms.services import NewFirm
from firms.signup import request_signup

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("mail_in_process")]


def test_a_slow_confirmation_shows_progress_after_a_second_and_is_sent_once(live_portal, page):
    request_signup(
        NewFirm("Kantoor Traag", "kantoor-traag", "0202239951", "Tine Traag", "tine@traag.example", "Traag-Kantoor-26"),
        live_portal,
    )
    link = re.search(r"http://\S+/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    held: list = []  # confirmation requests the browser sent, held back until the test lets them through

    def hold_confirmations(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r".*/signup/confirm/.*"), hold_confirmations)
    page.goto(link)
    progress = page.locator(".slow-progress")
    button = page.get_by_role("button", name="Mijn portaal aanmaken")
    assert progress.inner_text() == ""

    cdp = page.context.new_cdp_session(page)

    def shown(expression: str):
        return cdp.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"].get("value")

    button.click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert len(held) == 1
    print(shown("document.querySelector('.slow-progress').textContent"))
    page.wait_for_timeout(1000)
    print(shown("document.querySelector('.slow-progress').textContent"))
    print(shown("document.querySelector('form button').getAttribute('aria-disabled')"))
    button.click(no_wait_after=True)  # an impatient second click, and Enter
    button.press("Enter", no_wait_after=True)
    page.wait_for_timeout(500)
    assert len(held) == 1  # the browser sent the form once
    assert not Firm.objects.filter(slug="kantoor-traag").exists()

    held[0].continue_()
    port = live_portal.rsplit(":", 1)[1]
    page.wait_for_url(f"http://kantoor-traag.localhost:{port}/dashboard/", timeout=20000)
    assert Firm.objects.filter(slug="kantoor-traag").count() == 1
