"""Every page type fits a phone (390 px, no sideways scrolling) and passes axe-core in Dutch and French; the main
pages are photographed at 1366 px and 390 px into docs/screenshots/."""

import pytest

from .conftest import OWNER, SCREENSHOTS, log_in
from .pages import ENTREPRENEUR, PUBLIC, STAFF, address
from .pages import SCREENSHOTS as MAIN_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTH_SCRIPT = "() => [document.documentElement.scrollWidth, window.innerWidth]"
AXE_SCRIPT = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
}"""


def visit_all(new_context, ui_firm, check, language="nl", width=390, axe=None):
    """Open every page type as its visitor (anonymous, staff, entrepreneur) and call check(name, page)."""
    failures = []
    for who, pages in (("public", PUBLIC), ("staff", STAFF), ("entrepreneur", ENTREPRENEUR)):
        page = new_context(language, width, axe=axe).new_page()
        if who == "staff":
            log_in(page, ui_firm.host, OWNER)
        elif who == "entrepreneur":
            log_in(page, ui_firm.host, ui_firm.entrepreneur)
        for name, template in pages.items():
            response = page.goto(address(template, ui_firm))
            assert response.ok, f"{name}: HTTP {response.status} at {page.url}"
            page.wait_for_load_state("load")
            failures += [f"{name}: {problem}" for problem in check(name, page)]
        page.context.close()
    return failures


def test_every_page_fits_a_390_px_phone(new_context, ui_firm):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def fits(name, page):
        document_width, viewport = page.evaluate(WIDTH_SCRIPT)
        if name in MAIN_PAGES:
            page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"))
        if document_width > viewport:
            yield f"{document_width} px wide in a {viewport} px window"

    assert visit_all(new_context, ui_firm, lambda n, p: list(fits(n, p))) == []


def test_every_page_fits_a_360_px_phone_in_french(new_context, ui_firm):
    def fits(name, page):
        document_width, viewport = page.evaluate(WIDTH_SCRIPT)
        return [f"{document_width} px wide in a {viewport} px window"] if document_width > viewport else []

    assert visit_all(new_context, ui_firm, fits, language="fr", width=360) == []


def test_main_pages_at_desktop_width(new_context, ui_firm):
    def shoot(name, page):
        if name in MAIN_PAGES:
            page.screenshot(path=str(SCREENSHOTS / f"{name}-1366.png"))
        return []

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert visit_all(new_context, ui_firm, shoot, width=1366) == []


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_page_passes_axe_without_serious_violations(new_context, ui_firm, axe_source, language):
    def accessible(name, page):
        return page.evaluate(AXE_SCRIPT)

    assert visit_all(new_context, ui_firm, accessible, language=language, width=1366, axe=axe_source) == []


def test_phone_menu_opens_and_reaches_settings(new_context, ui_firm):
    page = new_context("nl", 390).new_page()
    log_in(page, ui_firm.host, OWNER)
    page.goto(f"{ui_firm.host}/dashboard/")
    assert not page.get_by_role("link", name="Dossiers", exact=True).is_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_text("Instellingen").click()
    page.get_by_role("link", name="Huisstijl", exact=True).click()
    page.wait_for_url(f"{ui_firm.host}/settings/branding/")
