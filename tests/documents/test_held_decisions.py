"""Whose is a received document (buyer identification), moving a held document to another dossier, and
"Export anyway" for a document held for rule findings."""

import re

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from core.errors import ErrorCode, PortalError
from documents.buyers import Buyer, normalised_name, whose
from documents.decisions import export_anyway, move_document
from documents.services import import_purchase
from documents.ubl_read import ReadParty
from documents.validation import is_efff
from dossiers.models import AuditEntry, Dossier
from exports.models import ExportItem, ExportSettings
from exports.services import ManualChoice, export_manually

SOURCE = "letspeppol-be-0208-invoice.xml"  # buyer: OpenPeppol VZW, 0848934496
EFFF = "urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214"
PEPPOL = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


def real(shared_dir) -> bytes:
    return (shared_dir / "fixtures/ubl" / SOURCE).read_bytes()


def efff(data: bytes) -> bytes:
    return data.replace(PEPPOL.encode(), EFFF.encode())


def without_buyer_ids(data: bytes, name: str = "OpenPeppol VZW") -> bytes:
    """The real invoice as e-FFF (the Peppol rules ask for a buyer endpoint; e-FFF does not), its buyer with no
    endpoint, VAT or enterprise number, and named `name`."""
    start, end = data.index(b"<cac:AccountingCustomerParty>"), data.index(b"</cac:AccountingCustomerParty>")
    buyer = data[start:end]
    buyer = re.sub(rb"\s*<cbc:EndpointID[^>]*>[^<]*</cbc:EndpointID>", b"", buyer)
    buyer = re.sub(rb"\s*<cac:PartyTaxScheme>.*?</cac:PartyTaxScheme>", b"", buyer, flags=re.S)
    buyer = re.sub(rb"\s*<cbc:CompanyID>[^<]*</cbc:CompanyID>", b"", buyer)
    buyer = buyer.replace(b"OpenPeppol VZW", name.encode())
    return efff(data[:start] + buyer + data[end:])


def failing_a_rule(data: bytes) -> bytes:
    """Schema-valid, but the amount due is not the total (EN 16931 BR-CO-16)."""
    return re.sub(rb"(<cbc:PayableAmount[^>]*>)[^<]+<", rb"\g<1>1.00<", data, count=1)


# -- pure -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bakkerij Janssens BV", "BAKKERIJ JANSSENS"),
        ("Bakkerij Janssens B.V.B.A.", "bakkerij janssens"),
        ("Société Générale S.A.", "societe generale"),
        ("Boulangerie L'Épi, SRL", "boulangerie l epi"),
        ("Janssens & Zonen NV", "janssens zonen"),
    ],
)
def test_names_compare_without_case_accents_punctuation_or_legal_form(a, b):
    assert normalised_name(a) == normalised_name(b)


def test_different_names_stay_different():
    assert normalised_name("Bakkerij Janssens") != normalised_name("Bakkerij Peeters")


@pytest.mark.parametrize(
    ("buyer", "expected"),
    [
        (ReadParty(name="Other", enterprise_number="0848934496"), Buyer.OURS),
        (ReadParty(name="Other", vat_number="BE0848934496"), Buyer.OURS),
        (ReadParty(name="Other", endpoint="0208:0848934496"), Buyer.OURS),
        (ReadParty(name="Other", endpoint="9925:BE0848934496"), Buyer.OURS),
        (ReadParty(name="OpenPeppol VZW", enterprise_number="0403170701"), Buyer.OTHER),
        (ReadParty(name="OpenPeppol VZW", vat_number="ESB12345674"), Buyer.OTHER),
        (ReadParty(name="OPENPEPPOL"), Buyer.OURS),
        (ReadParty(name="open-peppol"), Buyer.UNIDENTIFIED),
        (ReadParty(name="Cliente Barcelona SL", address="Carrer 1, 08001 Barcelona, ES"), Buyer.UNIDENTIFIED),
        (ReadParty(name=""), Buyer.UNIDENTIFIED),
        # A GLN or e-mail endpoint cannot be compared with a Belgian dossier: the name decides.
        (ReadParty(name="OpenPeppol vzw", endpoint="0088:5790000435968"), Buyer.OURS),
    ],
)
def test_whose(buyer, expected):
    assert whose("OpenPeppol VZW", "0848934496", buyer) == expected


@pytest.mark.parametrize(
    ("customization", "profile", "version"),
    [
        (EFFF, "", "2.1"),
        (
            "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol5a:ver2.0:extended:e-fff:ver3.0",
            "",
            "2.1",
        ),  # noqa: E501
        (
            "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol4a:ver2.0:extended:e-fff:ver3.0",
            "",
            "2.1",
        ),  # noqa: E501
        ("1.0", "E-FFF.BE BILLIT.BE", "2.1"),
        ("1.0", "EFFF.BE Odoo 12.0", "2.1"),
        ("1.0", "FFF.BE ExactOnline", "2.0"),  # Exact Online (tests/realfiles: oca-edi-efff_…xml)
        ("1.0", "", "e-fff 3.0"),
        ("http://www.e-fff.be/ubl/2.0/customization", "", "2.0"),
    ],
)
def test_older_efff_identifiers_are_efff(customization, profile, version):
    assert is_efff(customization, profile=profile, ubl_version=version)


@pytest.mark.parametrize(
    ("customization", "profile"), [(PEPPOL, ""), ("1.0", "urn:www.cenbii.eu:profile:bii05"), ("", "")]
)
def test_other_identifiers_are_not_efff(customization, profile):
    assert not is_efff(customization, profile=profile)


# -- services -------------------------------------------------------------------------------------------------


def test_buyer_less_invoice_whose_name_matches_is_imported(firm_a, shared_dir):
    dossier = Dossier.objects.create(name="Openpeppol", enterprise_number="0848934496")
    result = import_purchase(dossier, without_buyer_ids(real(shared_dir)), "a.xml", None)
    document = result.document
    assert result.outcome == "imported" and not document.held_back, [f.rule for f in document.findings.all()]
    assert not document.buyer_unidentified and document.buyer_name == "OpenPeppol VZW"


def test_buyer_less_invoice_for_someone_else_is_held_and_moved_to_the_right_dossier(firm_a, owner_a, shared_dir):
    bakery = Dossier.objects.create(name="Bakkerij Janssens", enterprise_number="0403170701")
    right = Dossier.objects.create(name="Cliente Barcelona S.L.", enterprise_number="0202239951")
    data = without_buyer_ids(real(shared_dir), name="Cliente Barcelona SL")
    with translation.override("en"):
        result = import_purchase(bakery, data, "b.xml", None)
    document = result.document
    assert document.buyer_unidentified and document.held_back and "buyer not identified" in result.message
    assert "Brussel" in document.buyer_address and document.buyer_name == "Cliente Barcelona SL"
    assert not document.__class__.objects.awaiting_export().filter(pk=document.pk).exists()

    from documents.buyers import proposed_dossiers

    assert proposed_dossiers(document)[0] == right
    move_document(document, right, owner_a)
    document.refresh_from_db()
    assert document.dossier == right and not document.held_back and document.status == "final"
    with document.ubl.open("rb") as stored:
        assert stored.read() == data
    assert AuditEntry.objects.filter(dossier=bakery, action="document_moved_out").exists()
    assert AuditEntry.objects.filter(dossier=right, action="document_moved_in").exists()


def test_moving_is_open_for_every_hold(firm_a, owner_a, shared_dir):
    """Wrong buyer, probable duplicate and failing rules: each can be moved."""
    other = Dossier.objects.create(name="OpenPeppol", enterprise_number="0848934496")
    bakery = Dossier.objects.create(name="Bakkerij", enterprise_number="0403170701")
    wrong = import_purchase(bakery, real(shared_dir), "w.xml", None).document
    assert wrong.wrong_buyer and wrong.held_back
    failing = import_purchase(bakery, failing_a_rule(efff(real(shared_dir))), "f.xml", None).document
    assert failing.held_back
    for document in (wrong, failing):
        move_document(document, other, owner_a)
    wrong.refresh_from_db()
    failing.refresh_from_db()
    assert wrong.dossier == other and wrong.status == "final"
    assert failing.dossier == other and failing.held_back  # still fails the rules
    # the same invoice again in its new dossier is a probable copy there
    copy = import_purchase(bakery, real(shared_dir).replace(b"PO-12345", b"PO-12346"), "c.xml", None).document
    move_document(copy, other, owner_a)
    copy.refresh_from_db()
    assert copy.duplicate_of == wrong and copy.held_back


def test_moving_refuses_the_same_file_twice_and_exported_documents(firm_a, owner_a, shared_dir):
    one = Dossier.objects.create(name="Een", enterprise_number="0403170701")
    two = Dossier.objects.create(name="OpenPeppol", enterprise_number="0848934496")
    import_purchase(two, real(shared_dir), "a.xml", None)
    document = import_purchase(one, real(shared_dir), "a.xml", None).document
    with pytest.raises(PortalError) as refused:
        move_document(document, two, owner_a)
    assert refused.value.code == ErrorCode.DUPLICATE
    with pytest.raises(PortalError) as refused:
        move_document(document, one, owner_a)
    assert refused.value.code == ErrorCode.INVALID
    document.__class__.objects.filter(pk=document.pk).update(status="exported", locked=True)
    document.refresh_from_db()
    with pytest.raises(PortalError) as refused:
        move_document(document, two, owner_a)
    assert refused.value.code == ErrorCode.LOCKED


def test_export_anyway_delivers_a_held_efff_byte_identical_with_the_reason_in_the_history(firm_a, owner_a, shared_dir):
    dossier = Dossier.objects.create(name="OpenPeppol", enterprise_number="0848934496")
    ExportSettings.objects.create(dossier=dossier, bob_reference="OPENPEPPOL")  # without one nothing leaves
    data = failing_a_rule(efff(real(shared_dir)))
    document = import_purchase(dossier, data, "efff.xml", None).document
    assert document.held_for_rules and "BR-CO-16" in {f.rule for f in document.findings.all()}
    with pytest.raises(PortalError) as refused:
        export_anyway(document, "   ", owner_a)
    assert refused.value.code == ErrorCode.INCOMPLETE
    assert export_manually(dossier, ManualChoice(None, None, ("purchases",)), owner_a) is None

    export_anyway(document, "BOB reads it; the supplier's total is what we book.", owner_a)
    assert document.status == "final" and document.is_released and document.released_by == owner_a
    entry = AuditEntry.objects.get(dossier=dossier, action="document_exported_anyway")
    assert entry.actor == owner_a and entry.detail["reason"].startswith("BOB reads it")
    assert document.__class__.objects.released().filter(pk=document.pk).exists()

    batch = export_manually(dossier, ManualChoice(None, None, ("purchases",)), owner_a)
    item = batch.items.get()
    with default_storage.open(item.file, "rb") as exported:
        assert exported.read() == data
    assert ExportItem.objects.filter(document=document).count() == 1


def test_export_anyway_is_refused_for_a_file_that_fails_the_schema(firm_a, owner_a, shared_dir):
    dossier = Dossier.objects.create(name="OpenPeppol", enterprise_number="0848934496")
    data = real(shared_dir).replace(b"<cbc:DueDate>", b"<cbc:Unknown>x</cbc:Unknown><cbc:DueDate>", 1)
    document = import_purchase(dossier, data, "xsd.xml", None).document
    assert document.held_for_rules and document.findings.filter(layer="XSD").exists()
    with pytest.raises(PortalError) as refused:
        export_anyway(document, "please", owner_a)
    assert refused.value.code == ErrorCode.UNREADABLE
    document.refresh_from_db()
    assert document.held_back and not document.is_released


def test_export_anyway_is_not_for_documents_that_pass(firm_a, owner_a, shared_dir):
    dossier = Dossier.objects.create(name="OpenPeppol", enterprise_number="0848934496")
    document = import_purchase(dossier, real(shared_dir), "ok.xml", None).document
    with pytest.raises(PortalError) as refused:
        export_anyway(document, "why not", owner_a)
    assert refused.value.code == ErrorCode.NOT_ALLOWED_IN_STATE


# -- pages ----------------------------------------------------------------------------------------------------


def test_the_page_shows_the_buyer_and_moves_through_the_picker(logged_in_a, shared_dir):
    bakery = Dossier.objects.create(name="Bakkerij Janssens", enterprise_number="0403170701")
    right = Dossier.objects.create(name="Cliente Barcelona", enterprise_number="0202239951")
    document = import_purchase(
        bakery, without_buyer_ids(real(shared_dir), name="Cliente Barcelona SL"), "b.xml", None
    ).document
    page = logged_in_a.get(f"/dossiers/{bakery.pk}/documents/{document.pk}/").content.decode()
    assert "Cliente Barcelona SL" in page and "Robert Schumainplein" in page and "/move/" in page
    picker = logged_in_a.get(f"/dossiers/{bakery.pk}/documents/{document.pk}/move/").content.decode()
    assert f'value="{right.pk}"' in picker
    found = logged_in_a.get(f"/dossiers/{bakery.pk}/documents/{document.pk}/move/?q=0403").content.decode()
    assert f'value="{bakery.pk}"' not in found  # never the dossier it is in
    response = logged_in_a.post(f"/dossiers/{bakery.pk}/documents/{document.pk}/move/", {"dossier": right.pk})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.dossier == right


def test_export_anyway_page_shows_who_when_why(logged_in_a, shared_dir):
    dossier = Dossier.objects.create(name="OpenPeppol", enterprise_number="0848934496")
    document = import_purchase(dossier, failing_a_rule(efff(real(shared_dir))), "efff.xml", None).document
    url = f"/dossiers/{dossier.pk}/documents/{document.pk}/"
    assert "export-anyway" in logged_in_a.get(url).content.decode()
    logged_in_a.post(url + "export-anyway/", {"reason": "Leverancier bevestigd"})
    page = logged_in_a.get(url).content.decode()
    assert "Leverancier bevestigd" in page and "Owner Firm A" in page
    history = logged_in_a.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Leverancier bevestigd" in history and "Owner Firm A" in history


def test_the_dashboard_counts_documents_exported_anyway_apart(logged_in_a, owner_a, shared_dir):
    from exports.dashboard import dossiers_needing_something

    dossier = Dossier.objects.create(name="OpenPeppol", enterprise_number="0848934496")
    document = import_purchase(dossier, failing_a_rule(efff(real(shared_dir))), "efff.xml", None).document
    export_anyway(document, "BOB leest het", owner_a)
    needs = dossiers_needing_something()
    assert needs["totals"]["exported_anyway"] == 1 and needs["totals"]["held_back"] == 0
    assert "1 anyway" in logged_in_a.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_export_anyway_delivers_a_real_exact_online_efff_byte_identical(firm_a, owner_a):
    """A real Belgian e-FFF invoice from Exact Online (tests/realfiles): schema-valid, held for EN 16931 rules."""
    from pathlib import Path

    from documents.ubl_read import read_ubl

    data = (Path(__file__).parents[1] / "realfiles/ubl/oca-edi-efff_BE0505890632_160421_Inv_16117778.xml").read_bytes()
    buyer = read_ubl(data).buyer
    dossier = Dossier.objects.create(name=buyer.name, enterprise_number=buyer.enterprise_number or "0403170701")
    ExportSettings.objects.create(dossier=dossier, bob_reference="OPENPEPPOL")  # without one nothing leaves
    document = import_purchase(dossier, data, "efff.xml", None).document
    assert document.held_for_rules and not document.findings.filter(layer="XSD").exists()
    export_anyway(document, "Exact Online e-FFF: BOB leest het", owner_a)
    batch = export_manually(dossier, ManualChoice(None, None, ("purchases",)), owner_a)
    with default_storage.open(batch.items.get().file, "rb") as exported:
        assert exported.read() == data
    assert (
        AuditEntry.objects.get(dossier=dossier, action="document_exported_anyway")
        .detail["reason"]
        .startswith("Exact Online")
    )
