"""Our own run of the official rules agrees with the oracle: the fixtures that pass pass, the ones that fail
fail with the rules the oracle names, and every generated document passes."""

import pytest

from documents.ubl import CUSTOMIZATION, write_ubl
from documents.validation import is_deliverable, validate

from .test_ubl_oracle import MATRIX

EXPECTED_INVALID = {  # from ../shared/fixtures/SOURCES.md (the oracle's findings)
    "letspeppol-invoice-v1.xml": {"BR-CL-10", "BR-CL-26", "BR-CL-21"},
    "letspeppol-credit-note-v1.xml": {"BR-CL-21"},
    "peppol-GR-base-example-correct.xml": {"XSD"},
}


def test_valid_fixtures_pass(shared_dir):
    for path in sorted((shared_dir / "fixtures/ubl").glob("*.xml")):
        findings = validate(path.read_bytes())
        assert is_deliverable(findings), (path.name, [f for f in findings if f.is_fatal])


@pytest.mark.parametrize("name", sorted(EXPECTED_INVALID))
def test_invalid_fixtures_fail_with_the_rules_the_oracle_names(shared_dir, name):
    findings = validate((shared_dir / "fixtures/ubl-invalid" / name).read_bytes())
    assert not is_deliverable(findings)
    assert {f.rule for f in findings if f.is_fatal} == EXPECTED_INVALID[name]


def test_generated_documents_pass():
    for name, document in MATRIX.items():
        findings = validate(write_ubl(document))
        assert is_deliverable(findings), (name, findings)


def test_a_wrong_total_is_caught_with_its_rule():
    xml = write_ubl(MATRIX["rate-21"]).replace(
        b'<cbc:PayableAmount currencyID="EUR">29.65', b'<cbc:PayableAmount currencyID="EUR">29.66'
    )
    rules = {f.rule for f in validate(xml) if f.is_fatal}
    assert "BR-CO-16" in rules


EFFF = b"urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214"


def test_an_efff_invoice_is_held_to_en16931_but_not_to_the_peppol_customisation():
    """Belgian e-FFF 3 is EN 16931 with its own CustomizationID, and what Sage BOB reads natively: the Peppol
    rules are shown as warnings, the CEN rules still hold it back."""
    efff = write_ubl(MATRIX["rate-21"]).replace(CUSTOMIZATION.encode(), EFFF)
    findings = validate(efff)
    assert {f.rule for f in findings if f.layer == "PEPPOL"} >= {"PEPPOL-EN16931-R004"}
    assert is_deliverable(findings)
    wrong_total = efff.replace(
        b'<cbc:PayableAmount currencyID="EUR">29.65', b'<cbc:PayableAmount currencyID="EUR">29.66'
    )
    assert "BR-CO-16" in {f.rule for f in validate(wrong_total) if f.is_fatal}
    # The same document claiming to be Peppol BIS is held to the Peppol rules.
    other = write_ubl(MATRIX["rate-21"]).replace(CUSTOMIZATION.encode(), b"urn:cen.eu:en16931:2017")
    assert not is_deliverable(validate(other))


def test_every_unit_the_editor_offers_passes_the_code_list():
    from dataclasses import replace

    from documents.units import UNITS

    for code, _label in UNITS:
        document = MATRIX["rate-21"]
        xml = write_ubl(replace(document, lines=[replace(document.lines[0], unit_code=code)]))
        assert f'unitCode="{code}"'.encode() in xml
        assert is_deliverable(validate(xml)), code
