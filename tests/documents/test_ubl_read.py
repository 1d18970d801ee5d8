"""Reading received UBL: every real fixture reads with its totals; hostile XML is refused quickly."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from documents.ubl import write_ubl
from documents.ubl_read import UblError, read_ubl

from .test_ubl_oracle import MATRIX

EXPECTED = {  # file: (credit note, number of VAT subtotals, tax exclusive, payable), counted in the files with grep
    "letspeppol-0208-credit-note.xml": (True, 1, D("1325"), D("1656.25")),
    "letspeppol-be-0208-invoice.xml": (False, 1, D("1000.00"), D("1210.00")),
    "peppol-NO-Norwegian-example-1.xml": (False, 3, D("1436.5"), D("802.00")),
    "peppol-base-negative-inv-correction.xml": (False, 1, D("-1325"), D("-1656.25")),
    "peppol-vat-category-O.xml": (False, 1, D("3200.00"), D("3200.00")),
}


def fixture_files(shared_dir, folder):
    return sorted((shared_dir / "fixtures" / folder).glob("*.xml"))


def test_every_fixture_reads_and_adds_up(shared_dir):
    files = fixture_files(shared_dir, "ubl")
    assert len(files) == 16
    for path in files:
        document = read_ubl(path.read_bytes())
        assert document.number and document.issue_date and document.currency, path.name
        assert document.supplier.name and document.buyer.name, path.name
        assert document.tax_inclusive == document.tax_exclusive + document.tax_total, path.name
        assert sum((v.taxable for v in document.vat), D("0")) == document.tax_exclusive, path.name
        if path.name in EXPECTED:
            credit, subtotals, exclusive, payable = EXPECTED[path.name]
            assert (document.is_credit_note, len(document.vat), document.tax_exclusive, document.payable) == (
                credit,
                subtotals,
                exclusive,
                payable,
            ), path.name


def test_belgian_parties_are_recognised(shared_dir):
    document = read_ubl((shared_dir / "fixtures/ubl/letspeppol-be-0208-invoice.xml").read_bytes())
    assert document.supplier.endpoint.startswith("0208:")
    assert len(document.supplier.enterprise_number) == 10


def test_our_own_documents_read_back_with_the_same_totals():
    for name, source in MATRIX.items():
        document = read_ubl(write_ubl(source))
        assert document.number == source.number, name
        assert document.is_credit_note == source.is_credit_note, name
        assert document.has_pdf, name
        assert document.tax_inclusive == document.tax_exclusive + document.tax_total, name


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol4;</ID></Invoice>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&secret;</cbc:ID></Invoice>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "DOCTYPE"),
        (XXE, "DOCTYPE"),
        (b"%PDF-1.4 not xml", "not an XML"),
        (b"<Invoice><unclosed></Invoice>", "malformed"),
        (b'<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', "not a UBL"),
        (b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a>", "larger than"),
        # Shapes no invoice has, that would keep the rules engine busy for minutes.
        (
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
            + b"<a>" * 100
            + b"</a>" * 100
            + b"</Invoice>",
            "nested more than",
        ),
        (
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
            + b"<a/>" * 700_000
            + b"</Invoice>",
            r"more than 600.000 elements",
        ),
    ],
)
def test_hostile_or_wrong_files_are_refused(data, message):
    with translation.override("en"), pytest.raises(UblError, match=message):
        read_ubl(data)
