"""What the user sees while and after sending a form, in real Chromium: one firm for a double-clicked sign-up,
focus on the first error, dates in the page's order whatever the browser's locale, labelled invoice lines."""

import re

import pytest
from django.core import mail

from firms.models import Firm

from ..conftest import PASSWORD
from .conftest import OWNER, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("mail_in_process")]


def fill_signup(page, slug):
    page.fill("#id_firm_name", "Kantoor Dubbel")
    page.fill("#id_slug", slug)
    page.fill("#id_enterprise_number", "0406.798.006")
    page.fill("#id_owner_name", "Dubbel Klik")
    page.fill("#id_email", f"{slug}@example.com")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)


def test_double_submitted_sign_up_creates_one_firm(new_context, ui_firm):
    """Sign-up sends one confirmation mail (issue 17: it reveals nothing about known addresses), and confirming
    creates the firm; each form submitted three times as fast as a nervous double click reaches the server once."""
    page = new_context("nl", 390).new_page()
    page.goto(f"{ui_firm.public}/signup/")
    fill_signup(page, "kantoor-dubbel")
    triple_submit = """() => { const form = document.querySelector("main form");
        const button = form.querySelector("button"); for (let i = 0; i < 3; i++) form.requestSubmit(button); }"""
    page.evaluate(triple_submit)
    page.wait_for_url("**/signup/sent/**")
    sent = [message for message in mail.outbox if message.to == ["kantoor-dubbel@example.com"]]
    assert len(sent) == 1
    link = re.search(r"https?://[^/\s]+(/signup/confirm/[^\s]+/)", sent[0].body).group(1)
    page.goto(f"{ui_firm.public}{link}")
    page.evaluate(triple_submit)
    page.wait_for_url("**/dashboard/**")
    assert Firm.objects.filter(slug="kantoor-dubbel").count() == 1


def test_the_busy_button_shows_progress_and_refuses_a_second_submit(new_context, ui_firm):
    page = new_context("nl", 1366).new_page()
    page.goto(f"{ui_firm.public}/signup/")
    fill_signup(page, "kantoor-wacht")
    # Count the submits that would leave the page (and keep the page here to look at it).
    sent = page.evaluate(
        """() => { let sent = 0;
        window.addEventListener("submit", (event) => { if (!event.defaultPrevented) sent++; event.preventDefault(); });
        const form = document.querySelector("main form"), button = form.querySelector("button");
        form.requestSubmit(button); form.requestSubmit(button); return sent; }"""
    )
    assert sent == 1
    button = page.locator("main form button[type=submit]")
    assert button.get_attribute("aria-disabled") == "true"
    assert "busy" in button.get_attribute("class")


def test_focus_moves_to_the_first_error_after_a_failed_submit(new_context, ui_firm):
    page = new_context("nl", 390).new_page()
    page.goto(f"{ui_firm.public}/signup/")
    page.fill("#id_firm_name", "Kantoor Fout")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    focused = page.evaluate("() => [document.activeElement.id, document.activeElement.getAttribute('aria-invalid')]")
    assert focused == ["id_slug", "true"] or focused[1] == "true"
    assert page.locator("#id_firm_name").input_value() == "Kantoor Fout"  # what the user typed stays


@pytest.mark.parametrize(
    ("language", "pattern", "shown"), [("nl", "dd/mm/jjjj", "15/03/2026"), ("fr", "jj/mm/aaaa", "15/03/2026")]
)
def test_date_fields_follow_the_page_language_not_the_browser(new_context, ui_firm, language, pattern, shown):
    page = new_context(language, 1366).new_page()  # the browser's own locale is en-US (mm/dd/yyyy)
    log_in(page, ui_firm.host, OWNER)
    page.goto(f"{ui_firm.host}/dossiers/{ui_firm.dossier_id}/documents/?from=2026-03-15")
    field = page.locator("input[name=from]")
    assert field.get_attribute("placeholder") == pattern
    assert field.input_value() == shown
    field.fill("01/02/2026")
    field.press("Enter")
    page.wait_for_url("**from=2026-02-01**")


def test_every_invoice_line_field_has_a_label(new_context, ui_firm):
    page = new_context("nl", 1366).new_page()
    log_in(page, ui_firm.host, OWNER)
    page.goto(f"{ui_firm.host}/dossiers/{ui_firm.dossier_id}/documents/new/")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll(".formset-table input:not([type=hidden]), .formset-table select")]
          .filter(f => !f.labels || f.labels.length === 0).map(f => f.name)"""
    )
    assert unlabelled == []
    assert page.get_by_label("Omschrijving 1").count() == 1
