"""The pure CODA reader: what it reads from a statement, and the reason and line of each refusal."""

from datetime import date
from decimal import Decimal

import pytest

from banking.coda import CodaError, belgian_iban, format_structured, read_coda
from banking.coda_write import CodaAccount, CodaMovement, write_statement

ACCOUNT = CodaAccount("BE68539007547034", "EUR", "Bakkerij Peeters", "KREDBEBB", "725", "0202239951")


def statement(number=1, old=Decimal("100.00"), movements=None) -> bytes:
    day = date(2026, 3, 2)
    if movements is None:
        movements = [
            CodaMovement(
                Decimal("121.00"),
                day,
                "Hotel Du Parc NV",
                "BE71096123456769",
                communication="020223995102",
                structured=True,
            ),
            CodaMovement(Decimal("-20.50"), day, "Molens", "BE43068999999501", communication="Meel"),
        ]
    return write_statement(ACCOUNT, number, old, date(2026, 2, 27), day, movements)


def lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def test_it_reads_balances_movements_and_structured_communication():
    [s] = read_coda(statement())
    assert (s.account, s.currency, s.number, s.year) == ("BE68539007547034", "EUR", 1, 2026)
    assert s.old_balance == Decimal("100.00") and s.new_balance == Decimal("200.50")
    first, second = s.movements
    assert first.amount == Decimal("121") and first.communication_display == "+++020/2239/95102+++"
    assert first.counterparty_name == "Hotel Du Parc NV" and first.counterparty_account == "BE71096123456769"
    assert second.amount == Decimal("-20.5") and second.communication == "Meel" and not second.structured


def test_each_statement_keeps_its_own_original_bytes():
    one, two = statement(1), statement(2, old=Decimal("200.50"))
    first, second = read_coda(one + two)
    assert first.data == one and second.data == two


def test_it_decodes_cp1252_and_keeps_the_bytes():
    data = statement(movements=[CodaMovement(Decimal("5"), date(2026, 3, 2), "Brasserie Dé €uro", "", "")])
    [s] = read_coda(data)
    assert s.movements[0].counterparty_name == "Brasserie Dé €uro"
    assert s.data == data


@pytest.mark.parametrize(
    "data, line, words",
    [
        (b"", None, "empty"),
        (b"   \r\n", None, "empty"),
        (b"%PDF-1.4 not coda at all" + b" " * 104, 1, "not a CODA file"),
    ],
)
def test_it_refuses_what_is_not_coda(data, line, words):
    with pytest.raises(CodaError) as caught:
        read_coda(data)
    assert caught.value.line == line and words in str(caught.value)


def test_it_refuses_a_truncated_record_with_its_line():
    records = lines(statement())
    records[3] = records[3][:60] + b"\r\n"
    with pytest.raises(CodaError) as caught:
        read_coda(b"".join(records))
    assert caught.value.line == 4 and "60 characters" in str(caught.value)


def test_it_refuses_wrong_trailer_totals():
    records = lines(statement())
    records[-1] = records[-1][:36] + b"9" + records[-1][37:]  # debit total 20.509
    with pytest.raises(CodaError) as caught:
        read_coda(b"".join(records))
    assert caught.value.line == len(records) and "total debit" in str(caught.value)


def test_it_refuses_a_wrong_record_count():
    records = lines(statement())
    records[-1] = records[-1][:21] + b"9" + records[-1][22:]
    with pytest.raises(CodaError) as caught:
        read_coda(b"".join(records))
    assert "records" in str(caught.value)


def test_it_refuses_a_new_balance_that_does_not_follow_from_the_movements():
    records = lines(statement())
    new = records[-2]
    records[-2] = new[:56] + b"9" + new[57:]  # new balance off by 0.009
    with pytest.raises(CodaError) as caught:
        read_coda(b"".join(records))
    assert caught.value.line == len(records) and "not the new balance" in str(caught.value)


def test_it_refuses_a_file_cut_before_its_trailer():
    records = lines(statement())
    with pytest.raises(CodaError) as caught:
        read_coda(b"".join(records[:-1]))
    assert "ends before the trailer" in str(caught.value)


def test_it_refuses_another_version():
    records = lines(statement())
    records[0] = records[0][:127] + b"1\r\n"
    with pytest.raises(CodaError) as caught:
        read_coda(b"".join(records))
    assert caught.value.line == 1 and "version 1" in str(caught.value)


def test_helpers():
    assert belgian_iban("539007547034") == "BE68539007547034"
    assert format_structured("123456789002") == "+++123/4567/89002+++"
