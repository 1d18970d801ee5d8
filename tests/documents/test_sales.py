"""Sales invoices and credit notes: drafts, gap-free numbering, PDF embedded, valid UBL stored with its hash."""

import base64
import hashlib
import subprocess
from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import translation

from core.errors import PortalError
from documents.models import Document
from documents.money import AllowanceCharge, is_structured_communication
from documents.sales import DraftLine, finalise, save_draft
from documents.ubl_read import read_ubl
from documents.validation import is_deliverable, validate
from dossiers.models import Contact, Dossier

from .pdf_text import pdf_text


@pytest.fixture
def seller(firm_a):
    return Dossier.objects.create(
        name="Bakkerij Peeters",
        enterprise_number="0202239951",
        street="Kerkstraat 12",
        city="Gent",
        postal_code="9000",
        language="nl",
    )


@pytest.fixture
def customer(seller):
    return Contact.objects.create(
        dossier=seller,
        kind="customer",
        name="Hotel Du Parc NV",
        vat_number="BE0403170701",
        enterprise_number="0403170701",
        city="Brussel",
    )


LINES = [DraftLine("Brood wit", D("12"), D("2.85"), D("6")), DraftLine("Catering", D("3.5"), D("45"), D("21"))]


def test_finalising_numbers_renders_validates_and_stores(seller, customer):
    draft = save_draft(seller, customer, LINES, actor=None, payment_iban="BE71096123456769", payment_terms="30 dagen")
    # 12 × 2.85 = 34.20 at 6 % → 2.05; 3.5 × 45 = 157.50 at 21 % → 33.075 → 33.08
    assert draft.status == "draft" and draft.payable == D("226.83")
    document = finalise(draft, None)
    year = document.issue_date.year
    assert document.number == f"{year}-00001" and document.status == "final" and document.is_valid
    with document.ubl.open("rb") as stored:
        xml = stored.read()
    assert hashlib.sha256(xml).hexdigest() == document.ubl_sha256
    assert is_deliverable(validate(xml))
    read = read_ubl(xml)
    assert read.payable == document.payable and read.has_pdf
    pdf = base64.b64decode(xml.split(b'mimeCode="application/pdf"')[1].split(b">", 1)[1].split(b"<", 1)[0])
    assert pdf.startswith(b"%PDF")
    with document.pdf.open("rb") as stored:
        assert stored.read() == pdf and hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    assert f'filename="{document.number}.pdf"'.encode() in xml
    second = finalise(save_draft(seller, customer, LINES[:1], actor=None), None)
    assert second.number == f"{year}-00002"


def test_a_refused_finalisation_uses_no_number(seller, customer):
    nameless = Contact.objects.create(dossier=seller, kind="customer", name="Particulier", reference="P1", country="BE")
    with pytest.raises(PortalError, match="geen ondernemingsnummer|no enterprise number"):
        finalise(save_draft(seller, nameless, LINES, actor=None), None)
    document = finalise(save_draft(seller, customer, LINES, actor=None), None)
    assert document.number.endswith("-00001")


def test_final_document_cannot_be_edited(seller, customer):
    document = finalise(save_draft(seller, customer, LINES, actor=None), None)
    with pytest.raises(PortalError):
        save_draft(seller, customer, LINES[:1], actor=None, document=document)
    with pytest.raises(PortalError):
        finalise(document, None)


def test_credit_note_refers_to_the_invoice_and_has_its_own_sequence(seller, customer):
    invoice = finalise(save_draft(seller, customer, LINES, actor=None), None)
    credit = finalise(save_draft(seller, customer, LINES[:1], actor=None, is_credit_note=True, corrects=invoice), None)
    assert credit.number.startswith("C") and credit.number.endswith("-00001")
    with credit.ubl.open("rb") as stored:
        xml = stored.read()
    assert read_ubl(xml).is_credit_note
    assert f"<cbc:ID>{invoice.number}</cbc:ID>".encode() in xml


def test_numbers_are_unique_in_the_database(seller, customer):
    finalise(save_draft(seller, customer, LINES, actor=None), None)
    assert connection.schema_name == "firm_firm_a"
    assert Document.objects.filter(dossier=seller, status="final").values("number").distinct().count() == 1


# Lines: 34.20 at 6 %, 157.50 at 21 %; a loyalty allowance of 10.00 and delivery of 15.00, both at 21 %.
ADJUSTMENTS = [AllowanceCharge(D("10.00"), False, "Vaste klant"), AllowanceCharge(D("15.00"), True, "Levering")]


def test_allowances_and_charges_reach_the_totals_the_ubl_and_the_pdf(seller, customer):
    draft = save_draft(seller, customer, LINES, actor=None, allowances_charges=ADJUSTMENTS)
    # 21 %: 157.50 - 10.00 + 15.00 = 162.50 → 34.125 → 34.13; 6 %: 34.20 → 2.05
    assert (draft.tax_exclusive, draft.tax_total, draft.payable) == (D("196.70"), D("36.18"), D("232.88"))
    document = finalise(draft, None)
    with document.ubl.open("rb") as stored:
        xml = stored.read()
    assert is_deliverable(validate(xml))
    read = read_ubl(xml)
    assert (read.tax_exclusive, read.tax_total, read.payable) == (D("196.70"), D("36.18"), D("232.88"))
    assert b"<cbc:AllowanceChargeReason>Levering</cbc:AllowanceChargeReason>" in xml
    assert b'<cbc:ChargeTotalAmount currencyID="EUR">15.00</cbc:ChargeTotalAmount>' in xml
    with document.pdf.open("rb") as stored:
        assert "Levering" in pdf_text(stored.read())


def test_an_allowance_larger_than_the_lines_of_its_rate_is_refused(seller, customer):
    too_much = [AllowanceCharge(D("40.00"), False, "Korting", "S", D("6"))]  # the 6 % lines make 34.20
    with pytest.raises(PortalError, match="6%"):
        save_draft(seller, customer, LINES, actor=None, allowances_charges=too_much)
    assert not Document.objects.exists()


def test_finalised_documents_pass_the_oracle(seller, customer, oracle_python, shared_dir, tmp_path):
    invoice = finalise(save_draft(seller, customer, LINES, actor=None, payment_iban="BE71096123456769"), None)
    credit = finalise(save_draft(seller, customer, LINES[:1], actor=None, is_credit_note=True, corrects=invoice), None)
    adjusted = finalise(save_draft(seller, customer, LINES, actor=None, allowances_charges=ADJUSTMENTS), None)
    for document in (invoice, credit, adjusted):
        with document.ubl.open("rb") as stored:
            (tmp_path / f"{document.number}.xml").write_bytes(stored.read())
    result = subprocess.run(
        [str(oracle_python), str(shared_dir / "oracles/check_ubl.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def editor_post(customer, **extra):
    data = {
        "customer": customer.pk,
        "language": "nl",
        "payment_iban": "BE71 0961 2345 6769",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-description": "Taart",
        "lines-0-quantity": "2",
        "lines-0-unit": "C62",
        "lines-0-unit_price": "24,50",
        "lines-0-discount_percent": "",
        "lines-0-vat_rate": "6",
        "lines-0-exemption": "",
        "lines-1-description": "",
        "lines-1-quantity": "",
        "lines-1-unit": "C62",
        "lines-1-unit_price": "",
        "lines-1-discount_percent": "",
        "lines-1-vat_rate": "21",
        "lines-1-exemption": "",
        "adjustments-TOTAL_FORMS": "1",
        "adjustments-INITIAL_FORMS": "0",
        "adjustments-MIN_NUM_FORMS": "0",
        "adjustments-MAX_NUM_FORMS": "1000",
        "adjustments-0-is_charge": "allowance",
        "adjustments-0-reason": "",
        "adjustments-0-amount": "",
        "adjustments-0-vat_rate": "21",
        "adjustments-0-exemption": "",
    }
    data.update(extra)
    return data


def test_entrepreneur_invoices_a_customer_from_the_editor(logged_in_a, seller, customer):
    response = logged_in_a.post(f"/dossiers/{seller.pk}/documents/new/", {**editor_post(customer), "finalise": "1"})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    document = Document.objects.get(dossier=seller)
    assert document.status == "final" and document.payable == D("51.94")  # 49.00 + 6 % (2.94)
    assert logged_in_a.get(f"/dossiers/{seller.pk}/documents/{document.pk}/document.pdf").status_code == 200


def test_editor_keeps_input_on_error_and_saves_nothing(logged_in_a, seller, customer):
    response = logged_in_a.post(
        f"/dossiers/{seller.pk}/documents/new/",
        editor_post(customer, **{"lines-0-quantity": "twee", "payment_reference": "+++123/4567/89003+++"}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="twee"' in body and "gestructureerde mededeling" in body
    assert Document.objects.count() == 0


def test_editor_saves_allowances_and_charges_and_shows_them_again(logged_in_a, seller, customer):
    response = logged_in_a.post(
        f"/dossiers/{seller.pk}/documents/new/",
        editor_post(
            customer,
            **{
                "adjustments-0-is_charge": "charge",
                "adjustments-0-reason": "Levering",
                "adjustments-0-amount": "7,50",
                "adjustments-0-vat_rate": "21",
            },
        ),
    )
    assert response.status_code == 302
    document = Document.objects.get(dossier=seller)
    assert document.payable == D("61.02")  # 49.00 + 6 % (2.94) + 7.50 + 21 % (1.58)
    body = logged_in_a.get(f"/dossiers/{seller.pk}/documents/{document.pk}/edit/").content.decode()
    assert 'value="Levering"' in body and 'value="7.50"' in body and 'value="charge" selected' in body


def test_editor_refuses_an_allowance_too_large_and_keeps_the_input(logged_in_a, seller, customer):
    response = logged_in_a.post(
        f"/dossiers/{seller.pk}/documents/new/",
        editor_post(
            customer, **{"adjustments-0-reason": "Korting", "adjustments-0-amount": "60", "adjustments-0-vat_rate": "6"}
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "zijn groter dan de lijnen aan dat tarief" in body and 'value="Korting"' in body
    assert Document.objects.count() == 0


def test_a_refused_finalisation_from_the_editor_saves_nothing_and_keeps_the_input(logged_in_a, seller):
    """Pressing Finalise again after fixing the problem must not leave a trail of drafts behind."""
    nameless = Contact.objects.create(dossier=seller, kind="customer", name="Particulier", reference="P1", country="BE")
    for _attempt in range(2):
        response = logged_in_a.post(f"/dossiers/{seller.pk}/documents/new/", {**editor_post(nameless), "finalise": "1"})
        assert response.status_code == 200
        assert "ondernemingsnummer" in response.content.decode() and 'value="Taart"' in response.content.decode()
    assert Document.objects.count() == 0


def test_control_characters_pasted_into_a_description_do_not_break_the_invoice(seller, customer):
    lines = [DraftLine("Taart\x0bmet\x01room", D("1"), D("24.50"), D("6"))]
    document = finalise(save_draft(seller, customer, lines, actor=None), None)
    with document.ubl.open("rb") as stored:
        xml = stored.read()
    assert b"Taartmetroom" in xml
    assert is_deliverable(validate(xml))


def test_each_document_gets_its_own_structured_communication(seller, customer):
    """Invoice 1 and credit note 1 of a year, or invoices 1 and 10001, must not share the reference the bank
    statement is matched on."""
    from documents.models import NumberSequence

    invoice = finalise(save_draft(seller, customer, LINES, actor=None, payment_iban="BE71096123456769"), None)
    credit = finalise(
        save_draft(
            seller,
            customer,
            LINES[:1],
            actor=None,
            is_credit_note=True,
            corrects=invoice,
            payment_iban="BE71096123456769",
        ),
        None,
    )
    NumberSequence.objects.filter(dossier=seller, is_credit_note=False).update(last=10000)
    later = finalise(save_draft(seller, customer, LINES, actor=None, payment_iban="BE71096123456769"), None)
    references = [invoice.payment_reference, credit.payment_reference, later.payment_reference]
    assert later.number.endswith("-10001")
    assert len(set(references)) == 3 and all(is_structured_communication(r) for r in references)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("24,50", D("24.50")),
        ("1.234,50", D("1234.50")),
        ("24.50", D("24.50")),
        ("1250", D("1250")),
        ("0.125", D("0.125")),
    ],
)
def test_amounts_are_read_as_belgians_type_them(typed, meant):
    from documents.forms import AmountField

    assert AmountField(max_digits=14, decimal_places=4).clean(typed) == meant


def test_an_amount_that_reads_two_ways_is_refused_with_the_input_kept(logged_in_a, seller, customer):
    response = logged_in_a.post(
        f"/dossiers/{seller.pk}/documents/new/", editor_post(customer, **{"lines-0-unit_price": "1.250"})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "kan op twee manieren gelezen worden" in body and 'value="1.250"' in body
    assert Document.objects.count() == 0


def test_the_pdf_speaks_the_customers_language_unless_another_is_chosen(logged_in_a, seller, customer):
    customer.language = "fr"
    customer.save()
    logged_in_a.post(f"/dossiers/{seller.pk}/documents/new/", editor_post(customer, language=""))
    logged_in_a.post(f"/dossiers/{seller.pk}/documents/new/", editor_post(customer, language="nl"))
    assert list(Document.objects.order_by("pk").values_list("language", flat=True)) == ["fr", "nl"]


def test_a_credit_note_for_an_invoice_starts_as_its_copy(logged_in_a, seller, customer):
    """A locked invoice is corrected with a credit note: from the invoice's page, prefilled with its lines."""
    invoice = finalise(save_draft(seller, customer, LINES, actor=None, payment_iban="BE71096123456769"), None)
    Document.objects.filter(pk=invoice.pk).update(status="exported", locked=True)
    detail = logged_in_a.get(f"/dossiers/{seller.pk}/documents/{invoice.pk}/").content.decode()
    assert f"/dossiers/{seller.pk}/documents/new/?corrects={invoice.pk}" in detail
    form = logged_in_a.get(f"/dossiers/{seller.pk}/documents/new/?corrects={invoice.pk}")
    header = form.context["form"]
    assert (header.initial["customer"], header.initial["corrects"], header.initial["is_credit_note"]) == (
        customer.pk,
        invoice.pk,
        True,
    )
    assert [row["description"] for row in form.context["lines"].initial] == ["Brood wit", "Catering"]
    body = form.content.decode()
    assert 'value="Brood wit"' in body
    post = editor_post(customer, is_credit_note="on", corrects=str(invoice.pk), finalise="1")
    assert logged_in_a.post(f"/dossiers/{seller.pk}/documents/new/", post).status_code == 302
    credit = Document.objects.get(is_credit_note=True)
    assert credit.corrects == invoice and credit.status == "final"
    assert logged_in_a.get(f"/dossiers/{seller.pk}/documents/new/?corrects={credit.pk}").status_code == 404


def test_the_documents_page_shows_its_lines_allowances_and_totals(logged_in_a, seller, customer):
    document = finalise(save_draft(seller, customer, LINES, actor=None, allowances_charges=ADJUSTMENTS), None)
    body = logged_in_a.get(f"/dossiers/{seller.pk}/documents/{document.pk}/").content.decode()
    for text in (
        "Brood wit",
        "12 stuks",
        "2,85",
        "34,20",
        "Catering",
        "157,50",
        "Toeslag: Levering",
        "-10,00",
        "196,70",
        "36,18",
        "232,88",
    ):
        assert text in body, text


def test_prefilled_rows_can_be_emptied_to_take_them_away(logged_in_a, seller, customer):
    draft = save_draft(seller, customer, LINES, actor=None, allowances_charges=ADJUSTMENTS[:1])
    page = logged_in_a.get(f"/dossiers/{seller.pk}/documents/{draft.pk}/edit/")
    assert page.context["lines"].initial_form_count() == 2
    post = editor_post(
        customer,
        **{
            "lines-TOTAL_FORMS": "3",
            "lines-INITIAL_FORMS": "2",
            "lines-0-description": "Brood wit",
            "lines-0-quantity": "12",
            "lines-0-unit_price": "2,85",
            "lines-0-vat_rate": "6",
            "lines-1-description": "",
            "lines-1-quantity": "",
            "lines-1-unit_price": "",
            "lines-1-vat_rate": "21",
            "lines-2-description": "",
            "lines-2-quantity": "",
            "lines-2-unit": "C62",
            "lines-2-unit_price": "",
            "lines-2-discount_percent": "",
            "lines-2-vat_rate": "21",
            "lines-2-exemption": "",
            "adjustments-TOTAL_FORMS": "2",
            "adjustments-INITIAL_FORMS": "1",
            "adjustments-1-is_charge": "allowance",
            "adjustments-1-reason": "",
            "adjustments-1-amount": "",
            "adjustments-1-vat_rate": "21",
            "adjustments-1-exemption": "",
        },
    )
    response = logged_in_a.post(f"/dossiers/{seller.pk}/documents/{draft.pk}/edit/", post)
    assert response.status_code == 302, response.context["lines"].errors if response.context else ""
    draft.refresh_from_db()
    assert list(draft.lines.values_list("description", flat=True)) == ["Brood wit"]
    assert not draft.allowances_charges.exists() and draft.payable == D("36.25")  # 34.20 + 6 %
    emptied = {**post, "lines-0-description": "", "lines-0-quantity": "", "lines-0-unit_price": ""}
    refused = logged_in_a.post(f"/dossiers/{seller.pk}/documents/{draft.pk}/edit/", emptied)
    assert refused.status_code == 200 and draft.lines.count() == 1  # at least one line stays required


def test_a_draft_follows_its_customers_language_until_another_is_chosen(logged_in_a, seller, customer):
    french = Contact.objects.create(
        dossier=seller,
        kind="customer",
        name="Hôtel Belle-Vue SA",
        language="fr",
        vat_number="BE0202239951",
        enterprise_number="0202239951",
    )
    logged_in_a.post(f"/dossiers/{seller.pk}/documents/new/", editor_post(french, language=""))
    draft = Document.objects.get()
    assert draft.language == "fr"
    page = logged_in_a.get(f"/dossiers/{seller.pk}/documents/{draft.pk}/edit/")
    assert page.context["form"]["language"].value() == ""
    logged_in_a.post(f"/dossiers/{seller.pk}/documents/{draft.pk}/edit/", editor_post(customer, language=""))
    draft.refresh_from_db()
    assert draft.language == customer.language == "nl"


def test_a_strange_corrects_parameter_is_ignored(logged_in_a, seller, customer):
    assert logged_in_a.get(f"/dossiers/{seller.pk}/documents/new/?corrects=%C2%B2").status_code == 200


def test_the_documents_page_puts_units_in_the_plural_in_nl_and_fr(logged_in_a, seller, customer):
    lines = [
        DraftLine("Taart", D("10"), D("20"), D("6")),
        DraftLine("Verzending", D("1"), D("5"), D("21")),
        DraftLine("Montage", D("1.5"), D("45"), D("21"), unit="HUR"),
    ]
    document = save_draft(seller, customer, lines, actor=None)
    page = f"/dossiers/{seller.pk}/documents/{document.pk}/"
    dutch = logged_in_a.get(page).content.decode()
    assert "10 stuks<" in dutch and "1 stuk<" in dutch and "1,5 uur<" in dutch
    with translation.override("nl"):  # the page's language stays with this test
        french = logged_in_a.get(page, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "10 pièces<" in french and "1 pièce<" in french and "1,5 heure<" in french
