"""Uploading purchase UBL: bytes kept exactly, totals read, duplicates and wrong-company documents held back,
failing documents shown with their rule, hostile files refused with nothing stored."""

import io
import re
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from documents.models import Document
from documents.services import import_purchase
from dossiers.models import Dossier

# The buyer of the Peppol base examples with 0208 endpoints (letspeppol-0208-*.xml)
LETSPEPPOL = "letspeppol-0208-invoice.xml"


def fixture(shared_dir, name, folder="ubl"):
    return (shared_dir / "fixtures" / folder / name).read_bytes()


def buyer_dossier(shared_dir, name=LETSPEPPOL):
    from documents.ubl_read import read_ubl

    buyer = read_ubl(fixture(shared_dir, name)).buyer
    return Dossier.objects.create(name="Koper", enterprise_number=buyer.enterprise_number or "0403170701")


def test_every_fixture_imports_keeps_its_bytes_and_totals(firm_a, shared_dir):
    dossier = Dossier.objects.create(name="Alles", enterprise_number="0403170701")
    for path in sorted((shared_dir / "fixtures/ubl").glob("*.xml")):
        data = path.read_bytes()
        result = import_purchase(dossier, data, path.name, None)
        assert result.outcome == "imported", (path.name, result.message)
        document = result.document
        with document.ubl.open("rb") as stored:
            assert stored.read() == data, path.name
        assert document.is_valid, path.name
        payable = re.search(rb"<cbc:PayableAmount[^>]*>([^<]+)<", data).group(1).decode()
        assert document.payable == D(payable), path.name
    assert Document.objects.filter(dossier=dossier).count() == 16


def test_invalid_fixtures_are_stored_but_held_with_their_rule(firm_a, shared_dir):
    dossier = Dossier.objects.create(name="Fout", enterprise_number="0403170701")
    result = import_purchase(dossier, fixture(shared_dir, "letspeppol-credit-note-v1.xml", "ubl-invalid"), "x", None)
    document = result.document
    assert not document.is_valid and document.held_back and document.status == "attention"
    assert {f.rule for f in document.findings.all() if f.flag == "fatal"} == {"BR-CL-21"}


def test_same_file_twice_is_recognised(firm_a, shared_dir):
    dossier = buyer_dossier(shared_dir)
    data = fixture(shared_dir, LETSPEPPOL)
    assert import_purchase(dossier, data, "a.xml", None).outcome == "imported"
    assert import_purchase(dossier, data, "b.xml", None).outcome == "duplicate"
    assert Document.objects.count() == 1


def test_probable_duplicate_is_held_until_confirmed(logged_in_a, shared_dir):
    dossier = buyer_dossier(shared_dir)
    data = fixture(shared_dir, LETSPEPPOL)
    first = import_purchase(dossier, data, "a.xml", None).document
    second = import_purchase(
        dossier,
        data.replace(b"<cbc:Note>", b"<cbc:Note>Kopie. ", 1)
        if b"<cbc:Note>" in data
        else data.replace(b"</cbc:IssueDate>", b"</cbc:IssueDate><cbc:Note>Kopie</cbc:Note>", 1),
        "copy.xml",
        None,
    ).document
    assert second.duplicate_of == first and second.held_back
    logged_in_a.post(f"/dossiers/{dossier.pk}/documents/{second.pk}/keep/")
    second.refresh_from_db()
    assert not second.held_back and second.status == "final"


def test_credit_note_with_the_invoices_number_and_amount_is_not_a_duplicate(firm_a, shared_dir):
    """Suppliers number invoices and credit notes apart: the same number and amount on the other kind is a
    different document (the Let's Peppol examples are such a pair)."""
    dossier = buyer_dossier(shared_dir)
    invoice = import_purchase(dossier, fixture(shared_dir, LETSPEPPOL), "a.xml", None).document
    credit = import_purchase(dossier, fixture(shared_dir, "letspeppol-0208-credit-note.xml"), "b.xml", None).document
    assert (credit.number, credit.payable, credit.counterparty_name) == (
        invoice.number,
        invoice.payable,
        invoice.counterparty_name,
    )
    assert credit.is_credit_note and credit.duplicate_of is None and not credit.held_back


def test_deleting_the_original_releases_its_probable_copy(logged_in_a, shared_dir):
    """The supplier sent it to the wrong company, then again to the right one: once the wrong one is deleted,
    the right one is no longer held as its copy."""
    dossier = buyer_dossier(shared_dir)
    data = fixture(shared_dir, LETSPEPPOL)
    first = import_purchase(dossier, data, "a.xml", None).document
    second = import_purchase(
        dossier,
        data.replace(b"</cbc:InvoiceTypeCode>", b"</cbc:InvoiceTypeCode><cbc:Note>Opnieuw</cbc:Note>", 1),
        "again.xml",
        None,
    ).document
    assert second.duplicate_of == first and second.status == "attention"
    logged_in_a.post(f"/dossiers/{dossier.pk}/documents/{first.pk}/delete/")
    second.refresh_from_db()
    assert second.duplicate_of is None and second.status == "final" and not second.held_back


def test_deleting_the_original_of_several_copies_keeps_one_copy_and_holds_the_rest(firm_a, shared_dir):
    """The same invoice three times: deleting the first leaves the second as the invoice and the third still
    held as its copy, never both counted."""
    from documents.services import delete_document

    dossier = buyer_dossier(shared_dir)
    data = fixture(shared_dir, LETSPEPPOL)
    first, second, third = (
        import_purchase(
            dossier,
            data.replace(b"</cbc:InvoiceTypeCode>", b"</cbc:InvoiceTypeCode><cbc:Note>" + note + b"</cbc:Note>", 1),
            f"{note.decode()}.xml",
            None,
        ).document
        for note in (b"een", b"twee", b"drie")
    )
    assert second.duplicate_of == first and third.duplicate_of == first
    delete_document(first, None)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "final" and second.duplicate_of is None
    assert third.status == "attention" and third.duplicate_of == second


def test_a_received_document_and_a_draft_can_be_deleted_from_their_page(logged_in_a, shared_dir):
    from tests.factories import DocumentFactory

    dossier = buyer_dossier(shared_dir)
    document = import_purchase(dossier, fixture(shared_dir, LETSPEPPOL), "a.xml", None).document
    draft = DocumentFactory(dossier=dossier, direction="sales", status="draft")
    final_sale = DocumentFactory(dossier=dossier, direction="sales", status="final", number="2026-00001")
    for deletable in (document, draft):
        page = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{deletable.pk}/").content.decode()
        assert "Dit document verwijderen" in page
        logged_in_a.post(f"/dossiers/{dossier.pk}/documents/{deletable.pk}/delete/")
    assert list(Document.objects.values_list("pk", flat=True)) == [final_sale.pk]
    assert (
        "Dit document verwijderen"
        not in logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{final_sale.pk}/").content.decode()
    )


def test_document_for_another_company_is_held(firm_a, shared_dir):
    dossier = Dossier.objects.create(name="Iemand anders", enterprise_number="0202239951")
    document = import_purchase(dossier, fixture(shared_dir, LETSPEPPOL), "a.xml", None).document
    assert document.wrong_buyer and document.held_back


def test_hostile_upload_is_refused_with_nothing_stored(logged_in_a, eager_tasks, django_capture_on_commit_callbacks):
    dossier = Dossier.objects.create(name="Veilig", enterprise_number="0403170701")
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file:///etc/passwd">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&s;</Invoice>'
    )
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_a.post(f"/dossiers/{dossier.pk}/documents/", {"files": [SimpleUploadedFile("evil.xml", xxe)]})
    response = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/")
    assert "DOCTYPE" in response.content.decode()
    assert Document.objects.count() == 0


def test_documents_tab_lists_totals(logged_in_a, shared_dir, eager_tasks, django_capture_on_commit_callbacks):
    dossier = buyer_dossier(shared_dir)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_a.post(
            f"/dossiers/{dossier.pk}/documents/",
            {"files": [SimpleUploadedFile(LETSPEPPOL, fixture(shared_dir, LETSPEPPOL))]},
        )
    response = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/")
    assert [(t["direction"], t["currency"], t["due"]) for t in response.context["totals"]] == [
        ("purchase", "EUR", D("1656.25"))
    ]
    assert "1.656,25" in response.content.decode()
    download = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{Document.objects.get().pk}/ubl.xml")
    assert b"".join(download.streaming_content) == fixture(shared_dir, LETSPEPPOL)


def test_import_documents_command(firm_a, shared_dir):
    buyer_dossier(shared_dir)
    out = io.StringIO()
    number = Dossier.objects.get().enterprise_number
    call_command(
        "import_documents",
        "--firm",
        "firm-a",
        "--dossier",
        number,
        str(shared_dir / "fixtures/ubl" / LETSPEPPOL),
        str(shared_dir / "fixtures/ubl" / LETSPEPPOL),
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert [line.split(": ")[1] for line in lines] == ["imported", "duplicate"]


def test_dashboard_lists_dossiers_with_held_documents(logged_in_a, shared_dir):
    dossier = Dossier.objects.create(name="Iemand anders", enterprise_number="0202239951")
    import_purchase(dossier, fixture(shared_dir, LETSPEPPOL), "a.xml", None)  # addressed to another company
    response = logged_in_a.get("/dashboard/")
    rows = response.context["needs"]["rows"]
    assert [(row["dossier"].name, row["held_back"]) for row in rows] == [("Iemand anders", 1)]
    assert f"/dossiers/{dossier.pk}/documents/?status=attention" in response.content.decode()


def test_bulk_import_in_worker_processes_matches_one_by_one(firm_a, shared_dir, tmp_path, monkeypatch):
    """The import command stores files in groups, and checks the rules in a pool of processes for many files;
    the outcome per file is the same as importing them one by one, also for a file that repeats or probably
    duplicates one earlier in the same group. PDFs land in quick entry and what is not UBL is refused."""
    from documents import bulk
    from documents.models import InboxItem

    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted((shared_dir / "fixtures/ubl").glob("*.xml")):
        (folder / path.name).write_bytes(path.read_bytes())
    data = fixture(shared_dir, LETSPEPPOL)
    (folder / "zz-same-bytes.xml").write_bytes(data)
    (folder / "zz-copy.xml").write_bytes(
        data.replace(b"</cbc:IssueDate>", b"</cbc:IssueDate><cbc:Note>Kopie</cbc:Note>", 1)
    )
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n% a scanned receipt\n")
    (folder / "notes.xml").write_bytes(b"<notes>not an invoice</notes>")
    files = [(path.name, path.read_bytes()) for path in sorted(folder.iterdir())]

    def imported(dossier):
        return list(
            Document.objects.filter(dossier=dossier)
            .order_by("pk")
            .values_list("original_name", "number", "is_valid", "status", "duplicate_of__original_name", "wrong_buyer")
        )

    one_by_one = Dossier.objects.create(name="Een voor een", enterprise_number="0202239951")
    grouped = Dossier.objects.create(name="Per groep", enterprise_number="0403170701")
    pooled = Dossier.objects.create(name="Met werkers", enterprise_number="0417497106")
    single = [
        (name, r.outcome, r.message)
        for file in files
        for name, r in bulk.import_files(one_by_one, [file], None, workers=1)
    ]
    together = [(name, r.outcome, r.message) for name, r in bulk.import_files(grouped, files, None, workers=1)]
    monkeypatch.setattr(bulk, "POOL_FROM", 2)
    parallel = [(name, r.outcome, r.message) for name, r in bulk.import_files(pooled, files, None, workers=2)]
    assert parallel == together == single
    outcomes = dict((name, outcome) for name, outcome, _message in parallel)
    assert outcomes["scan.pdf"] == "imported" and outcomes["notes.xml"] == "refused"
    assert outcomes["zz-same-bytes.xml"] == "duplicate" and outcomes["zz-copy.xml"] == "imported"
    assert InboxItem.objects.filter(dossier=pooled).count() == 1
    assert imported(pooled) == imported(grouped) == imported(one_by_one)
    copy = Document.objects.get(dossier=pooled, original_name="zz-copy.xml")
    assert copy.duplicate_of.original_name == LETSPEPPOL and copy.held_back


def test_import_that_raced_with_another_reports_duplicate(firm_a, shared_dir, monkeypatch):
    """Two uploads of the same file at once: the one that loses the race (its check saw nothing yet) reports
    the file as a duplicate, and the other files of its group are still imported, each once."""
    from documents import services
    from documents.services import Received, import_purchases

    dossier = buyer_dossier(shared_dir)
    first = import_purchase(dossier, fixture(shared_dir, LETSPEPPOL), "a.xml", None).document
    monkeypatch.setattr(services, "_earlier", lambda dossier, candidates: [])  # as if read before that commit
    other = "letspeppol-0208-credit-note.xml"
    results = import_purchases(
        dossier, [Received("b.xml", fixture(shared_dir, LETSPEPPOL)), Received(other, fixture(shared_dir, other))], None
    )
    assert [r.outcome for r in results] == ["duplicate", "imported"]
    assert results[0].document == first
    assert sorted(Document.objects.values_list("original_name", flat=True)) == ["a.xml", other]


def test_the_pdf_inside_a_received_invoice_can_be_downloaded(logged_in_a, shared_dir):
    """Peppol invoices usually carry their human-readable copy; the accountant opens it from the document."""
    import base64

    dossier = buyer_dossier(shared_dir)
    pdf = b"%PDF-1.4\n% the supplier's copy\n"
    attachment = (
        b"<cac:AdditionalDocumentReference><cbc:ID>copy</cbc:ID><cac:Attachment>"
        b'<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="copy.pdf">'
        + base64.b64encode(pdf)
        + b"</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>"
        b"</cac:AdditionalDocumentReference>"
    )
    data = fixture(shared_dir, LETSPEPPOL).replace(
        b"<cac:AccountingSupplierParty>", attachment + b"<cac:AccountingSupplierParty>", 1
    )
    document = import_purchase(dossier, data, "a.xml", None).document
    detail = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{document.pk}/").content.decode()
    assert f"/dossiers/{dossier.pk}/documents/{document.pk}/document.pdf" in detail
    response = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{document.pk}/document.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf
    with document.ubl.open("rb") as stored:
        assert stored.read() == data  # the received bytes are untouched
    # What only claims to be a PDF is not offered (the Norwegian example embeds placeholder text).
    other = import_purchase(dossier, fixture(shared_dir, "peppol-NO-Norwegian-example-1.xml"), "n.xml", None)
    assert logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{other.document.pk}/document.pdf").status_code == 404


def broken_variants(data: bytes) -> dict[str, bytes]:
    """Real-world ways a received file goes wrong past the XML parser."""
    payable = re.search(rb"<cbc:PayableAmount[^>]*>([^<]+)<", data).group(1)
    subtotal = data.index(b"<cac:TaxSubtotal>")  # the VAT rate the header is read from
    return {
        "percent-sign.xml": data[:subtotal]
        + re.sub(
            rb"<cbc:Percent>([\d.]+)</cbc:Percent>", rb"<cbc:Percent>\1 %</cbc:Percent>", data[subtotal:], count=1
        ),
        "not-a-number.xml": data.replace(payable + b"<", b"NaN<", 1),
        "too-large.xml": data.replace(payable + b"<", b"1000000000000.00<", 1),
    }


def test_values_that_are_not_amounts_are_refused_with_a_message_and_the_rest_imports(firm_a, shared_dir):
    from documents.bulk import import_files

    dossier = buyer_dossier(shared_dir)
    data = fixture(shared_dir, LETSPEPPOL)
    files = list(broken_variants(data).items()) + [(LETSPEPPOL, data)]
    results = dict((name, result) for name, result in import_files(dossier, files, None, workers=1))
    assert results["percent-sign.xml"].outcome == "refused" and "is geen getal" in results["percent-sign.xml"].message
    assert results["not-a-number.xml"].outcome == "refused" and "NaN" in results["not-a-number.xml"].message
    assert results["too-large.xml"].outcome == "refused" and "te groot" in results["too-large.xml"].message
    assert results[LETSPEPPOL].outcome == "imported"
    assert list(Document.objects.values_list("original_name", flat=True)) == [LETSPEPPOL]


def test_an_iso_8859_1_file_is_read_and_checked_in_its_own_encoding(firm_a, shared_dir):
    """Older Belgian e-FFF software writes Latin-1; the accents must survive and the rules still run."""
    dossier = buyer_dossier(shared_dir)
    text = fixture(shared_dir, LETSPEPPOL).decode("utf-8")
    _declaration, rest = text.split("?>", 1)
    note = "</cbc:InvoiceTypeCode><cbc:Note>Café crème, déjà payé</cbc:Note>"
    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?>' + rest.replace("</cbc:InvoiceTypeCode>", note, 1)).encode(
        "latin-1"
    )
    result = import_purchase(dossier, latin, "latin.xml", None)
    assert result.outcome == "imported", result.message
    assert result.document.is_valid
    with result.document.ubl.open("rb") as stored:
        assert stored.read() == latin
