"""The sales form in real Chromium: the product picker fills a line from the dossier's products (still
editable), and the running totals per VAT rate follow what is typed."""

from decimal import Decimal

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from dossiers.models import Product
from tests.factories import DossierFactory

from ..conftest import PASSWORD
from .conftest import OUTPUT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def bakery(browser_firm, django_db_blocker):
    with django_db_blocker.unblock():
        with schema_context(browser_firm.schema_name):
            dossier = DossierFactory(name="Bakkerij Picker", enterprise_number="0700000401")
            Product.objects.create(
                dossier=dossier, reference="BRD", name="Brood", unit="C62", unit_price=Decimal("2.5"), vat_rate="6"
            )
            Product.objects.create(dossier=dossier, reference="TAART", name="Taart", unit_price=Decimal("20"))
        connection.set_schema_to_public()
    return dossier


def test_product_picker_fills_the_line_and_totals_follow(live_portal, browser_firm, bakery, page):
    host = f"http://kantoor-browser.localhost:{live_portal.rsplit(':', 1)[1]}"
    page.goto(f"{host}/accounts/login/")
    page.fill("#id_username", "owner-browser@example.com")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{host}/dashboard/")

    page.goto(f"{host}/dossiers/{bakery.pk}/documents/new/")
    description = page.locator('input[name="lines-0-description"]')
    description.fill("bro")
    page.wait_for_function(
        "() => document.querySelector('input[name=\"lines-0-description\"]').list?.options.length === 1"
    )
    description.fill("Brood (BRD)")
    assert description.input_value() == "Brood"
    assert page.locator('input[name="lines-0-unit_price"]').input_value() == "2.50"
    assert page.locator('select[name="lines-0-vat_rate"]').input_value() == "6"
    page.fill('input[name="lines-0-quantity"]', "4")
    page.fill('input[name="lines-0-unit_price"]', "2,75")  # still editable, typed the Belgian way
    totals = page.locator("#running-totals")
    assert totals.is_visible()
    assert totals.locator("tbody tr").first.inner_text().split() == ["6%", "11,00", "0,66"]
    assert totals.locator("[data-total]").inner_text() == "11,66"
    page.screenshot(path=str(OUTPUT / "sales-form-picker-totals.png"), full_page=True)
