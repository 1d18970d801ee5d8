"""The documents issue's "done when", in real Chromium against a live portal: an entrepreneur invoices a
customer and uploads a supplier's Peppol invoice on the firm's host; the accountant sees both with their
validation status, and a supplier's invoice that fails the rules shows the rule that fails."""

import pytest
from django_tenants.utils import schema_context

from documents.models import Document
from documents.ubl_read import read_ubl
from dossiers.models import Contact, Dossier
from firms.models import DossierAccess, User

from ..conftest import PASSWORD, watch_csp
from .conftest import OUTPUT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SUPPLIER_INVOICE = "letspeppol-0208-invoice.xml"
FAILING = "letspeppol-credit-note-v1.xml"  # in ubl-invalid: fails BR-CL-21


def log_in(page, host, email, password):
    page.goto(f"{host}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def garage(browser_firm, shared_dir, django_db_blocker):
    """A dossier (the company the supplier's invoice is addressed to) with a customer and its entrepreneur,
    committed outside the test's transaction so that the live portal sees them."""
    buyer = read_ubl((shared_dir / "fixtures/ubl" / SUPPLIER_INVOICE).read_bytes()).buyer
    with django_db_blocker.unblock():
        with schema_context(browser_firm.schema_name):
            dossier = Dossier.objects.create(
                name="Garage Verbeke",
                enterprise_number=buyer.enterprise_number,
                street="Stationsstraat 4",
                postal_code="9000",
                city="Gent",
                language="nl",
            )
            Contact.objects.create(
                dossier=dossier,
                kind="customer",
                name="Hotel Du Parc NV",
                city="Brussel",
                vat_number="BE0403170701",
                enterprise_number="0403170701",
            )
        entrepreneur = User.objects.create_user("jan@verbeke.example", PASSWORD, full_name="Jan Verbeke")
        DossierAccess.objects.create(user=entrepreneur, firm=browser_firm, dossier_id=dossier.pk)
    return dossier


def test_entrepreneur_invoices_and_uploads_accountant_sees_validation(
    live_portal, browser_firm, garage, browser, page, shared_dir, csp_violations, celery_worker
):
    port = live_portal.rsplit(":", 1)[1]
    host = f"http://{browser_firm.slug}.localhost:{port}"
    supplier_file = shared_dir / "fixtures/ubl" / SUPPLIER_INVOICE
    dossier = garage
    documents_url = f"{host}/dossiers/{dossier.pk}/documents/"

    # The entrepreneur, on the firm's host: a new invoice, finalised.
    log_in(page, host, "jan@verbeke.example", PASSWORD)
    page.goto(documents_url)
    page.get_by_role("link", name="Nieuwe factuur of creditnota").click()
    page.select_option("#id_customer", label="Hotel Du Parc NV")
    page.fill("#id_payment_iban", "BE71 0961 2345 6769")
    page.fill("#id_lines-0-description", "Onderhoud bestelwagen")
    page.fill("#id_lines-0-quantity", "3")
    page.fill("#id_lines-0-unit_price", "45,50")
    page.select_option("#id_lines-0-vat_rate", "21")
    # A loyalty allowance in the empty row, and a travel charge in a row added with "Rij toevoegen".
    page.select_option("#id_adjustments-0-is_charge", label="Korting")
    page.fill("#id_adjustments-0-reason", "Vaste klant")
    page.fill("#id_adjustments-0-amount", "6,50")
    page.locator('[data-formset="adjustments"] [data-add-row]').click()
    page.select_option("#id_adjustments-1-is_charge", label="Toeslag")
    page.fill("#id_adjustments-1-reason", "Verplaatsing")
    page.fill("#id_adjustments-1-amount", "25,00")
    page.get_by_role("button", name="Definitief maken").click()
    page.get_by_text("Voldoet aan de Peppol BIS 3.0-regels").wait_for()
    page.screenshot(path=str(OUTPUT / "documents-sales-final.png"))
    with schema_context(browser_firm.schema_name):
        sales = Document.objects.get(dossier=dossier, direction="sales")
        adjustments = list(sales.allowances_charges.values_list("reason", "is_charge"))
    # 136.50 - 6.50 + 25.00 = 155.00, + 21 % (32.55)
    assert sales.status == "final" and str(sales.payable) == "187.55"
    assert adjustments == [("Vaste klant", False), ("Verplaatsing", True)]

    # ... and the supplier's Peppol invoice, uploaded.
    page.goto(documents_url)
    page.set_input_files("#id_files", str(supplier_file))
    page.get_by_role("button", name="Opladen").click()
    # Stored at once, checked by the worker; the page follows without a reload of its own.
    page.get_by_text(f"{SUPPLIER_INVOICE}: Ingelezen.").wait_for(timeout=90000)

    # The accountant sees both, with their validation status; then a supplier's invoice that fails the rules.
    accountant = browser.new_context(locale="nl-BE").new_page()
    watch_csp(accountant, csp_violations)
    log_in(accountant, host, "owner-browser@example.com", PASSWORD)
    accountant.goto(documents_url)
    rows = accountant.locator("#documents tbody tr")
    assert rows.count() == 2
    assert rows.filter(has_text=sales.number).get_by_text("Voldoet aan de regels").is_visible()
    with schema_context(browser_firm.schema_name):
        purchase = Document.objects.get(dossier=dossier, direction="purchase")
    assert rows.filter(has_text=purchase.number).get_by_text("Voldoet aan de regels").is_visible()
    accountant.set_input_files("#id_files", str(shared_dir / "fixtures/ubl-invalid" / FAILING))
    accountant.get_by_role("button", name="Opladen").click()
    accountant.get_by_text("Ingelezen, maar tegengehouden").first.wait_for(timeout=90000)
    accountant.locator("#uploads:not([data-pending])").wait_for()
    failing_row = rows.filter(has_text="Voldoet niet aan de regels")
    assert failing_row.count() == 1
    accountant.screenshot(path=str(OUTPUT / "documents-accountant-list.png"), full_page=True)
    failing_row.get_by_role("link", name="Voldoet niet aan de regels").click()
    accountant.get_by_text("BR-CL-21").first.wait_for()
    assert accountant.get_by_text("Vraag de leverancier om een verbeterd document.").is_visible()
    accountant.screenshot(path=str(OUTPUT / "documents-failing-detail.png"), full_page=True)
