"""EN 16931 arithmetic: rounding per line and per VAT category, never floats."""

from decimal import Decimal as D

import pytest

from documents.money import (
    AllowanceCharge,
    Line,
    compute_totals,
    is_structured_communication,
    structured_communication,
)


def test_line_net_is_rounded_per_line_and_vat_per_category():
    lines = [Line(D("3"), D("0.3333")), Line(D("1"), D("0.005"))]
    totals = compute_totals(lines)
    assert [line.net for line in lines] == [D("1.00"), D("0.01")]
    assert totals.line_total == D("1.01")
    assert [(v.category, v.rate, v.taxable, v.tax) for v in totals.vat] == [("S", D("21"), D("1.01"), D("0.21"))]
    assert totals.payable == D("1.22")


def test_mixed_rates_discount_and_document_charge():
    lines = [
        Line(D("2"), D("10.00"), "S", D("21"), discount_percent=D("10")),
        Line(D("1"), D("100.00"), "S", D("6")),
        Line(D("1"), D("50.00"), "S", D("12")),
    ]
    charges = [
        AllowanceCharge(D("5.00"), True, "Transport", "S", D("21")),
        AllowanceCharge(D("10.00"), False, "Korting", "S", D("6")),
    ]
    totals = compute_totals(lines, charges)
    assert totals.line_total == D("168.00")
    by_rate = {v.rate: (v.taxable, v.tax) for v in totals.vat}
    assert by_rate == {
        D("21"): (D("23.00"), D("4.83")),
        D("6"): (D("90.00"), D("5.40")),
        D("12"): (D("50.00"), D("6.00")),
    }
    assert (totals.tax_exclusive, totals.tax_total, totals.payable) == (D("163.00"), D("16.23"), D("179.23"))


def test_vat_is_rounded_once_per_category_not_per_line():
    lines = [Line(D("1"), D("0.10")) for _ in range(10)]  # 10 × 0.021 would round to 10 × 0.02
    assert compute_totals(lines).tax_total == D("0.21")


def test_reverse_charge_has_no_vat():
    totals = compute_totals([Line(D("1"), D("1000"), "AE", D("21"))])
    assert totals.vat[0].rate == D("0") and totals.tax_total == D("0.00") and totals.payable == D("1000.00")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        compute_totals([Line(1.0, D("1"))])


@pytest.mark.parametrize(("number", "text"), [(1234567890, "+++123/4567/89002+++"), (0, "+++000/0000/00097+++")])
def test_structured_communication(number, text):
    assert structured_communication(number) == text
    assert is_structured_communication(text)
    wrong = text[:-4] + str((int(text[-4]) + 1) % 10) + "+++"
    assert not is_structured_communication(wrong)
