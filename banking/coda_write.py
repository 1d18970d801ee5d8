"""Writing CODA 2.x statements (Febelfin, 128-character records, CRLF): plain data in, bytes out.

Used by the demo bank connection and the benchmark's generator. Writes records 0, 1, 2.1, 2.2, 2.3, 8 and 9
with an IBAN account (structure 2 for Belgian IBANs, 3 otherwise); amounts have three decimals.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class CodaAccount:
    iban: str  # compact
    currency: str = "EUR"
    holder_name: str = ""
    bic: str = ""
    bank_id: str = "000"
    company_id: str = ""  # the holder's enterprise number


@dataclass(frozen=True)
class CodaMovement:
    amount: Decimal  # negative for a debit
    entry_date: date
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_bic: str = ""
    communication: str = ""  # free text, or 12 digits when structured
    structured: bool = False
    transaction_code: str = "00150000"  # type 0, family 01 (domestic transfer), transaction 50


def _ddmmyy(day: date) -> str:
    return day.strftime("%d%m%y")


def _text(value: str, width: int) -> str:
    """Left-aligned, cut to the width; characters outside cp1252 become '?'."""
    return value.encode("cp1252", "replace").decode("cp1252")[:width].ljust(width)


def _signed(amount: Decimal) -> str:
    thousandths = int((abs(amount) * 1000).to_integral_value())
    return ("1" if amount < 0 else "0") + f"{thousandths:015d}"


def _unsigned(amount: Decimal) -> str:
    return f"{int((amount * 1000).to_integral_value()):015d}"


def _account_zone(account: CodaAccount) -> tuple[str, str]:
    """(structure, 37-character account zone) for records 1 and 8."""
    if account.iban.startswith("BE") and len(account.iban) == 16:
        return "2", account.iban.ljust(34) + account.currency
    return "3", account.iban[:34].ljust(34) + account.currency


def write_statement(
    account: CodaAccount,
    number: int,
    old_balance: Decimal,
    old_date: date,
    new_date: date,
    movements: list[CodaMovement],
    creation_date: date | None = None,
) -> bytes:
    """One statement as a complete CODA file (header to trailer). The new balance is the old balance plus the
    movements; the trailer's counts and totals follow from them."""
    structure, zone = _account_zone(account)
    seq = f"{number % 1000:03d}"
    records = [
        _header_record(account, creation_date or new_date),
        "1"
        + structure
        + seq
        + zone
        + _signed(old_balance)
        + _ddmmyy(old_date)
        + _text(account.holder_name, 26)
        + _text("", 35)
        + seq,
    ]
    new_balance = old_balance
    debit = credit = Decimal("0")
    for index, movement in enumerate(movements, 1):
        new_balance += movement.amount
        if movement.amount < 0:
            debit -= movement.amount
        else:
            credit += movement.amount
        records += _movement_records(movement, index, number, seq, account.currency)
    records.append("8" + seq + zone + _signed(new_balance) + _ddmmyy(new_date) + " " * 64 + "0")
    records.append("9" + " " * 15 + f"{len(records) - 1:06d}" + _unsigned(debit) + _unsigned(credit) + " " * 75 + "2")
    for record in records:
        assert len(record) == 128, (record[:2], len(record))  # a programming error, not bad input
    return ("\r\n".join(records) + "\r\n").encode("cp1252")


def _header_record(account: CodaAccount, creation_date: date) -> str:
    """Record 0: creation date, bank, holder, BIC and enterprise number; version 2 in the last position."""
    return (
        "0"
        + "0000"
        + _ddmmyy(creation_date)
        + _text(account.bank_id, 3)
        + "05"
        + " "
        + " " * 7
        + _text("", 10)
        + _text(account.holder_name, 26)
        + _text(account.bic, 11)
        + _text(account.company_id.rjust(11, "0") if account.company_id else "", 11)
        + " "
        + "00000"
        + _text("", 16)
        + _text("", 16)
        + " " * 7
        + "2"
    )


def _movement_records(movement: CodaMovement, index: int, number: int, seq: str, currency: str) -> list[str]:
    """Records 2.1 (amount, dates, code, communication), 2.2 (rest of a free communication, BIC) and 2.3
    (counterparty account and name)."""
    sequence = f"{index:04d}0000"
    if movement.structured:
        communication = ("1101" + movement.communication[:12].ljust(12)).ljust(54)
    else:
        communication = "0" + _text(movement.communication, 53)
    rest = "" if movement.structured else movement.communication[53:]
    return [
        "21"
        + sequence
        + _text(f"DEMO{number:03d}{index:04d}", 21)
        + _signed(movement.amount)
        + _ddmmyy(movement.entry_date)
        + movement.transaction_code
        + communication
        + _ddmmyy(movement.entry_date)
        + seq
        + "0"
        + "1"
        + " "
        + "0",
        "22"
        + sequence
        + _text(rest, 53)
        + _text("", 35)
        + _text(movement.counterparty_bic, 11)
        + "   "
        + " "
        + "    "
        + "    "
        + "    "
        + "1"
        + " "
        + "0",
        "23"
        + sequence
        + _text(movement.counterparty_account, 34)
        + currency
        + _text(movement.counterparty_name, 35)
        + _text(rest[53:], 43)
        + "0"
        + " "
        + "0",
    ]
