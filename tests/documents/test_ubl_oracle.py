"""Every UBL the portal writes passes the official rules: a matrix of documents checked by
../shared/oracles/check_ubl.py (UBL 2.1 XSD, CEN EN16931 and Peppol BIS 3.0 schematron)."""

import subprocess
from datetime import date
from decimal import Decimal as D

from documents.money import AllowanceCharge, Line, structured_communication
from documents.ubl import DocumentLine, Party, UblDocument, write_ubl

SELLER = Party(
    "Bakkerij Peeters BV",
    "BE",
    "0202239951",
    "BE0202239951",
    "Kerkstraat 12",
    "Gent",
    "9000",
    "facturen@bakkerij-peeters.example",
)
BE_BUYER = Party("Hotel Du Parc NV", "BE", "0403170701", "BE0403170701", "Parklaan 1", "Brussel", "1000")
NL_BUYER = Party(
    "Bakkerij Jansen BV", "NL", "", "NL004495445B01", "Dorpsstraat 5", "Breda", "4811AA", "inkoop@jansen.example"
)
US_BUYER = Party(
    "Bagels Inc.",
    "US",
    "",
    "",
    "5th Avenue 1",
    "New York",
    "10001",
    "ap@bagels.example",
    endpoint=("0060", "123456789"),
)
FAKE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def doc(number, lines, buyer=BE_BUYER, **extra):
    values = dict(
        is_credit_note=False,
        number=number,
        issue_date=date(2026, 11, 20),
        seller=SELLER,
        buyer=buyer,
        lines=lines,
        due_date=date(2026, 12, 20),
        payment_iban="BE71096123456769",
        payment_reference=structured_communication(1234567890),
        payment_terms="30 dagen",
        pdf=FAKE_PDF,
    )
    values.update(extra)
    return UblDocument(**values)


def line(text, qty, price, cat="S", rate="21", discount="0", unit="C62"):
    return DocumentLine(text, Line(D(qty), D(price), cat, D(rate), D(discount)), unit)


MATRIX = {
    "rate-21": doc("2026-0001", [line("Taart", "1", "24.50")]),
    "rate-12": doc("2026-0002", [line("Restaurant", "2", "15.00", rate="12")]),
    "rate-6": doc("2026-0003", [line("Brood", "12", "2.85", rate="6")]),
    "rate-0": doc("2026-0004", [line("Krant", "3", "1.20", cat="Z", rate="0")]),
    "mixed-rates": doc(
        "2026-0005",
        [
            line("Brood", "10", "2.85", rate="6"),
            line("Catering", "3.5", "45", unit="HUR"),
            line("Wijn", "2", "12.99", rate="21", discount="10"),
        ],
    ),
    "allowances-charges": doc(
        "2026-0006",
        [line("Brood", "100", "2.3333", rate="6")],
        allowances_charges=[
            AllowanceCharge(D("12.50"), True, "Levering", "S", D("21")),
            AllowanceCharge(D("5.00"), False, "Korting vaste klant", "S", D("6")),
        ],
    ),
    "reverse-charge-eu": doc("2026-0007", [line("Advies", "8", "95", cat="AE")], buyer=NL_BUYER),
    "intra-eu-goods": doc("2026-0008", [line("Bloem", "40", "18.75", cat="K")], buyer=NL_BUYER),
    "export": doc("2026-0009", [line("Speculoos", "500", "1.10", cat="G")], buyer=US_BUYER),
    "exempt": doc("2026-0010", [line("Opleiding", "1", "350", cat="E")]),
    "not-subject": doc("2026-0011", [line("Schadevergoeding", "1", "500", cat="O")]),
    "credit-note": doc(
        "2026-0012",
        [line("Retour taart", "1", "24.50")],
        is_credit_note=True,
        corrected_invoice="2026-0001",
        due_date=None,
    ),
    "long-many-lines": doc(
        "2026-0013",
        [
            line("Lange omschrijving " * 30 + str(i), str(i % 7 + 1), "0.99", rate=("21", "6", "12")[i % 3])
            for i in range(250)
        ],
    ),
    "order-reference-only": doc("2026-0014", [line("Taart", "1", "24.50")], order_reference="PO-778"),
    "foreign-currency": doc("2026-0015", [line("Advice", "1", "1000", cat="AE")], buyer=NL_BUYER, currency="USD"),
}


def test_every_generated_document_passes_the_official_rules(oracle_python, shared_dir, tmp_path):
    for name, document in MATRIX.items():
        (tmp_path / f"{name}.xml").write_bytes(write_ubl(document))
    result = subprocess.run(
        [str(oracle_python), str(shared_dir / "oracles/check_ubl.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert result.stdout.count("PASS") == len(MATRIX)


def test_totals_in_the_xml_are_exact():
    xml = write_ubl(MATRIX["allowances-charges"]).decode()
    # 100 × 2.3333 = 233.33 at 6 %, minus 5.00 → 228.33 × 6 % = 13.70; charge 12.50 × 21 % = 2.63;
    # payable 233.33 − 5.00 + 12.50 + 16.33 = 257.16
    assert '<cbc:LineExtensionAmount currencyID="EUR">233.33</cbc:LineExtensionAmount>' in xml
    assert '<cbc:TaxAmount currencyID="EUR">16.33</cbc:TaxAmount>' in xml
    assert '<cbc:PayableAmount currencyID="EUR">257.16</cbc:PayableAmount>' in xml
