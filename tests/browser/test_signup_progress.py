"""Sign-up's confirmation, when creating the firm is slow: after a second the page says what is happening, and a
second click sends nothing. Real Chromium against the live portal; the browser holds the confirmation request
back (as a loaded server would answer late), then lets it through to the real portal.

While its form is being sent the page cannot be queried through Playwright (it waits for the next document), so
the page reports what it shows on the console: a script added before the page's own watches the progress line.
"""

import re

import pytest
from django.core import mail

from firms.models import Firm
from firms.services import NewFirm
from firms.signup import request_signup

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("mail_in_process")]

WATCH_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const progress = document.querySelector(".slow-progress");
  if (!progress) return;
  let sentAt = null;
  document.addEventListener("submit", () => { sentAt = sentAt ?? performance.now(); });
  new MutationObserver(() => {
    const after = Math.round(performance.now() - sentAt);
    const disabled = progress.closest("form").querySelector("button").getAttribute("aria-disabled");
    console.log(`progress after ${after} ms, button aria-disabled=${disabled}: ${progress.textContent}`);
  }).observe(progress, { childList: true, characterData: true, subtree: true });
});
"""


def test_a_slow_confirmation_shows_progress_after_a_second_and_is_sent_once(live_portal, page):
    request_signup(
        NewFirm("Kantoor Traag", "kantoor-traag", "0202239951", "Tine Traag", "tine@traag.example", "Traag-Kantoor-26"),
        live_portal,
    )
    link = re.search(r"http://\S+/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    held: list = []  # confirmation requests the browser sent, held back until the test lets them through
    shown: list[str] = []

    def hold_confirmations(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r".*/signup/confirm/.*"), hold_confirmations)
    page.on("console", lambda message: shown.append(message.text) if message.text.startswith("progress") else None)
    page.add_init_script(script=WATCH_PROGRESS)
    page.goto(link)
    button = page.get_by_role("button", name="Mijn portaal aanmaken")
    assert page.locator(".slow-progress").inner_text() == ""
    box = button.bounding_box()

    button.click(no_wait_after=True)
    page.wait_for_timeout(2000)
    assert len(held) == 1
    assert len(shown) == 1, shown  # once, and not at once: a quick answer shows no message at all
    reported = re.fullmatch(r"progress after (\d+) ms, button aria-disabled=(\w+): (.*)", shown[0])
    after, disabled, text = reported.groups()
    assert 1000 <= int(after) < 1900
    assert disabled == "true"
    assert text == "Je portaal wordt aangemaakt… Dit duurt enkele seconden: laat deze pagina open."

    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # an impatient second click
    page.keyboard.press("Enter")  # and Enter on the focused button
    page.wait_for_timeout(500)
    assert len(held) == 1  # the browser sent the form once
    assert not Firm.objects.filter(slug="kantoor-traag").exists()

    held[0].continue_()
    port = live_portal.rsplit(":", 1)[1]
    page.wait_for_url(f"http://kantoor-traag.localhost:{port}/dashboard/", timeout=20000)
    assert Firm.objects.filter(slug="kantoor-traag").count() == 1
