"""Building CODA for tests with the project's writer: a chain of daily statements for one account."""

from datetime import date, timedelta
from decimal import Decimal

from banking.coda_write import CodaAccount, CodaMovement, write_statement

IBAN = "BE68539007547034"


def chain(
    count: int,
    *,
    iban: str = IBAN,
    first_number: int = 1,
    start: date = date(2026, 3, 2),
    balance: Decimal = Decimal("100.00"),
    amount: Decimal = Decimal("10.00"),
) -> list[bytes]:
    """`count` consecutive statements (numbers first_number…), each moving `amount`, balances chained."""
    account = CodaAccount(iban, "EUR", "Bakkerij Peeters", "KREDBEBB", "725")
    files, day = [], start
    for number in range(first_number, first_number + count):
        movement = CodaMovement(
            amount, day, "Hotel Du Parc NV", "BE71096123456769", communication="020223995102", structured=True
        )
        files.append(write_statement(account, number, balance, day - timedelta(days=1), day, [movement]))
        balance += amount
        day += timedelta(days=1)
    return files
