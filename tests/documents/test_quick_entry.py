"""Quick entry: PDFs and images wait in the inbox; entering the header fields makes a purchase document whose
UBL embeds the file and passes the rules."""

import base64
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document, InboxItem
from documents.pdf import render_pdf
from documents.ubl_read import read_ubl
from documents.validation import is_deliverable, validate
from dossiers.models import Dossier

from .test_ubl_oracle import MATRIX

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)  # a 1×1 pixel


@pytest.fixture
def dossier(firm_a):
    return Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0202239951", city="Gent")


def upload(client, dossier, name, data):
    return client.post(f"/dossiers/{dossier.pk}/quick-entry/", {"files": [SimpleUploadedFile(name, data)]}, follow=True)


ENTRY = {
    "supplier_name": "Molens Dedobbeleer",
    "supplier_vat": "BE0406798006",
    "number": "F-2026-118",
    "issue_date": "2026-11-20",
    "due_date": "2026-12-20",
    "amount_21": "100,00",
    "amount_6": "1.234,56",
}


def test_pdf_waits_then_becomes_a_valid_purchase_document(logged_in_a, dossier):
    pdf = render_pdf(MATRIX["rate-21"], "nl")
    upload(logged_in_a, dossier, "factuur.pdf", pdf)
    item = InboxItem.objects.get()
    assert "factuur.pdf" in logged_in_a.get(f"/dossiers/{dossier.pk}/quick-entry/").content.decode()
    response = logged_in_a.post(f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", ENTRY)
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.direction, document.number, document.status) == ("purchase", "F-2026-118", "final")
    # 100.00 at 21 % → 21.00; 1,234.56 at 6 % → 74.07
    assert (document.tax_exclusive, document.tax_total, document.payable) == (D("1334.56"), D("95.07"), D("1429.63"))
    with document.ubl.open("rb") as stored:
        xml = stored.read()
    assert is_deliverable(validate(xml)) and read_ubl(xml).has_pdf
    assert base64.b64encode(pdf) in xml
    assert InboxItem.objects.get().document == document
    assert "Molens" not in logged_in_a.get(f"/dossiers/{dossier.pk}/quick-entry/").content.decode()


def test_image_is_embedded_as_image(logged_in_a, dossier):
    upload(logged_in_a, dossier, "bon.png", PNG)
    item = InboxItem.objects.get()
    logged_in_a.post(f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", {**ENTRY, "amount_6": ""})
    with Document.objects.get().ubl.open("rb") as stored:
        assert b'mimeCode="image/png"' in stored.read()


def test_other_files_and_the_same_file_twice_are_refused(logged_in_a, dossier):
    body = upload(logged_in_a, dossier, "virus.pdf", b"MZ\x90\x00 not a pdf").content.decode()
    assert "geen PDF" in body
    upload(logged_in_a, dossier, "bon.png", PNG)
    body = upload(logged_in_a, dossier, "bon-again.png", PNG).content.decode()
    assert "staat al in de inbox" in body
    assert InboxItem.objects.count() == 1


def test_entry_errors_keep_input_and_store_nothing(logged_in_a, dossier):
    upload(logged_in_a, dossier, "bon.png", PNG)
    item = InboxItem.objects.get()
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/",
        {**ENTRY, "supplier_vat": "BE0406798007", "amount_21": "", "amount_6": ""},
    )
    assert response.status_code == 200
    assert 'value="F-2026-118"' in response.content.decode()
    assert Document.objects.count() == 0 and InboxItem.objects.get().document is None


def test_issue_date_is_kept(logged_in_a, dossier):
    upload(logged_in_a, dossier, "bon.png", PNG)
    logged_in_a.post(f"/dossiers/{dossier.pk}/quick-entry/{InboxItem.objects.get().pk}/", ENTRY)
    assert Document.objects.get().issue_date == date(2026, 11, 20)


def test_the_largest_scan_the_inbox_takes_still_makes_a_ubl_the_portal_reads():
    """A scan travels inside the UBL in base64 (a third larger); the inbox's limit leaves room for that."""
    from documents import quick_entry, ubl_read
    from documents.ubl import write_ubl

    scan = b"%PDF-1.4\n" + bytes(quick_entry.MAX_BYTES - 9)
    xml = write_ubl(replace(MATRIX["rate-21"], pdf=scan, pdf_name="scan.pdf"))
    assert len(xml) <= ubl_read.MAX_BYTES
    assert ubl_read.embedded_file(xml) == ("application/pdf", scan)


def test_the_vat_is_taken_as_the_invoice_states_it(logged_in_a, dossier):
    """A supplier who rounds VAT per line gets 74,06 where rounding the total gives 74,07: what is stored is what
    the invoice says (and a UBL of the same invoice later is then recognised as its duplicate)."""
    upload(logged_in_a, dossier, "factuur.pdf", render_pdf(MATRIX["rate-21"], "nl"))
    item = InboxItem.objects.get()
    response = logged_in_a.post(f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", {**ENTRY, "vat_6": "74,06"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.tax_total, document.payable) == (D("95.06"), D("1429.62"))  # 21.00 computed + 74.06 stated
    with document.ubl.open("rb") as stored:
        assert is_deliverable(validate(stored.read()))


def test_a_vat_amount_that_cannot_be_right_is_refused_and_nothing_stored(logged_in_a, dossier):
    upload(logged_in_a, dossier, "factuur.pdf", render_pdf(MATRIX["rate-21"], "nl"))
    item = InboxItem.objects.get()
    response = logged_in_a.post(f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", {**ENTRY, "vat_21": "12,10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "De btw aan 21% op 100,00 is 21,00: 12,10" in body and 'value="12,10"' in body
    assert Document.objects.count() == 0 and InboxItem.objects.get().document is None


@pytest.mark.parametrize(
    ("vat", "country"),
    [
        ("EL094259216", "GR"),
        ("GB980780684", "GB"),
        ("CHE-116.281.710 MWST", "CH"),
        ("NL004495445B01", "NL"),
        ("DK13585628", "DK"),
        ("NO974760673MVA", "NO"),
    ],
)
def test_suppliers_from_greece_and_outside_the_eu_can_be_entered(logged_in_a, dossier, vat, country):
    """Greek VAT numbers start with EL (the country is GR); British and Swiss ones follow their own rules. The
    document made of them passes the official rules, or is not made: Peppol's Greek national rules ask for Greek
    tax-authority data a scan does not give, and the entry says so."""
    upload(logged_in_a, dossier, "factuur.pdf", render_pdf(MATRIX["rate-21"], "nl"))
    item = InboxItem.objects.get()
    address = {
        "supplier_street": "Dorpsstraat 5",
        "supplier_postal_code": "4811 AA",
        "supplier_city": "Breda",
        "supplier_iban": "NL91ABNA0417164300",
    }  # what Peppol asks of Dutch suppliers
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/",
        {**ENTRY, "supplier_vat": vat, **(address if country == "NL" else {})},
    )
    if country == "GR":
        body = response.content.decode()
        assert response.status_code == 200 and "GR-R-004-1" in body and "BR-CL-14" not in body  # GR, not EL
        assert Document.objects.count() == 0
        return
    assert response.status_code == 302, response.content.decode()[-3000:]
    document = Document.objects.get()
    with document.ubl.open("rb") as stored:
        xml = stored.read()
    assert f"<cbc:IdentificationCode>{country}</cbc:IdentificationCode>".encode() in xml
    assert is_deliverable(validate(xml))


def test_a_dutch_supplier_without_address_and_iban_is_asked_for_them(logged_in_a, dossier):
    """Peppol's Dutch rules want a Dutch supplier's address and, on an invoice, a means of payment: the entry
    says so instead of storing a document that would be held back."""
    upload(logged_in_a, dossier, "factuur.pdf", render_pdf(MATRIX["rate-21"], "nl"))
    item = InboxItem.objects.get()
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", {**ENTRY, "supplier_vat": "NL004495445B01"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "straat, postcode en gemeente" in body and "IBAN van de leverancier" in body
    assert 'value="NL004495445B01"' in body
    assert Document.objects.count() == 0


def test_what_quick_entry_writes_passes_the_oracle(logged_in_a, dossier, oracle_python, shared_dir, tmp_path):
    """The UBL quick entry makes of a scan is the portal's own: the independent checker must pass it too."""
    import subprocess

    entries = [
        ("a.pdf", render_pdf(MATRIX["rate-21"], "nl"), {}),
        ("b.png", PNG, {"supplier_vat": "GB980780684", "vat_6": "74,06"}),
        (
            "c.pdf",
            b"%PDF-1.4\n% c\n",
            {
                "supplier_vat": "NL004495445B01",
                "supplier_street": "Dorpsstraat 5",
                "supplier_postal_code": "4811 AA",
                "supplier_city": "Breda",
                "supplier_iban": "NL91ABNA0417164300",
            },
        ),
        (
            "d.pdf",
            b"%PDF-1.4\n% d\n",
            {"is_credit_note": "on", "corrects": "F-2026-100", "number": "C-7", "due_date": ""},
        ),
    ]
    for name, data, extra in entries:
        upload(logged_in_a, dossier, name, data)
        item = InboxItem.objects.get(original_name=name)
        response = logged_in_a.post(
            f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", {**ENTRY, "number": f"F-{name}", **extra}
        )
        assert response.status_code == 302, (name, response.content.decode()[-2000:])
    for document in Document.objects.all():
        with document.ubl.open("rb") as stored:
            (tmp_path / f"{document.pk}.xml").write_bytes(stored.read())
    result = subprocess.run(
        [str(oracle_python), str(shared_dir / "oracles/check_ubl.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert result.stdout.count("PASS") == 4


def test_a_vat_number_peppol_has_no_address_for_is_explained(logged_in_a, dossier):
    upload(logged_in_a, dossier, "factuur.pdf", render_pdf(MATRIX["rate-21"], "nl"))
    item = InboxItem.objects.get()
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", {**ENTRY, "supplier_vat": "XI980780684"}
    )
    assert response.status_code == 200 and "btw-nummer dat begint met XI" in response.content.decode()
    assert Document.objects.count() == 0


def test_vat_without_an_amount_at_its_rate_is_refused(logged_in_a, dossier):
    upload(logged_in_a, dossier, "factuur.pdf", render_pdf(MATRIX["rate-21"], "nl"))
    item = InboxItem.objects.get()
    response = logged_in_a.post(f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/", {**ENTRY, "vat_12": "3,00"})
    assert response.status_code == 200 and "geen bedrag aan dat tarief" in response.content.decode()
    assert Document.objects.count() == 0
