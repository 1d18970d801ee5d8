"""Missing bank statements. Per account, statements in (year, number) order must follow each other: the next
number, or number 1 when a new year starts (CODA numbering restarts each January), and each old balance must be
the previous new balance. Computed in the database with LAG, one query whatever the history; a gap disappears
as soon as the missing statement arrives."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from dossiers.models import Dossier

from .models import BankAccount, CodaStatement

MAX_NUMBER = 999  # three digits: after 999 a bank starts again at 1 within the year


@dataclass(frozen=True)
class Gap:
    account_id: int
    iban: str
    dossier_id: int
    year: int  # the statement after the gap
    number: int
    date: datetime.date
    previous_year: int
    previous_number: int
    previous_date: datetime.date
    missing_numbers: bool  # statement numbers are missing
    balance_break: bool  # old balance != previous new balance
    previous_balance: Decimal
    old_balance: Decimal

    @property
    def missing(self) -> str:
        """The missing numbers, e.g. '2025/013–2025/015' or '2025/013'."""
        if self.year == self.previous_year:
            first, last = self.previous_number + 1, self.number - 1
            if first == last:
                return f"{self.year}/{first:03d}"
            return f"{self.year}/{first:03d}–{self.year}/{last:03d}"
        if self.number > 1:
            return f"{self.previous_year}/{self.previous_number + 1:03d}… {self.year}/{self.number - 1:03d}"
        return f"{self.previous_year}/{self.previous_number + 1:03d}…"


def _sql(where: str) -> str:
    statement, account = CodaStatement._meta.db_table, BankAccount._meta.db_table
    return f"""
        SELECT account_id, iban, dossier_id, year, number, date, prev_year, prev_number, prev_date,
               NOT ((year = prev_year AND (number = prev_number + 1 OR (number = 1 AND prev_number = {MAX_NUMBER})))
                    OR (year = prev_year + 1 AND number = 1)) AS missing_numbers,
               old_balance <> prev_balance AS balance_break, prev_balance, old_balance
        FROM (
            SELECT s.account_id, a.iban, a.dossier_id, s.year, s.number, s.date, s.old_balance,
                   LAG(s.year) OVER w AS prev_year, LAG(s.number) OVER w AS prev_number,
                   LAG(s.date) OVER w AS prev_date, LAG(s.new_balance) OVER w AS prev_balance
            FROM {statement} s JOIN {account} a ON a.id = s.account_id
            {where}
            WINDOW w AS (PARTITION BY s.account_id ORDER BY s.year, s.number)
        ) chain
        WHERE prev_number IS NOT NULL AND (
            NOT ((year = prev_year AND (number = prev_number + 1 OR (number = 1 AND prev_number = {MAX_NUMBER})))
                 OR (year = prev_year + 1 AND number = 1))
            OR old_balance <> prev_balance)
    """


def _gaps(where: str, params: list) -> list[Gap]:
    with connection.cursor() as cursor:
        cursor.execute(_sql(where) + " ORDER BY iban, year, number", params)
        return [Gap(*row) for row in cursor.fetchall()]


def gaps_for_dossier(dossier_id: int) -> list[Gap]:
    """Every gap in the statements of the dossier's accounts, by account and number. One query."""
    return _gaps("WHERE a.dossier_id = %s", [dossier_id])


def gaps_for_accounts(account_ids: list[int]) -> list[Gap]:
    """Gaps of the given accounts (a page of the firm-wide list). One query."""
    if not account_ids:
        return []
    return _gaps("WHERE s.account_id = ANY(%s)", [list(account_ids)])


def dossiers_with_gaps(limit: int | None = 50) -> list[dict]:
    """Dossiers with missing statements, most gaps first: dossier_id, name, gaps, accounts. One query."""
    dossier_table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT g.dossier_id, d.name, COUNT(*) AS gaps, COUNT(DISTINCT g.account_id) AS accounts
            FROM ({_sql("")}) g JOIN {dossier_table} d ON d.id = g.dossier_id
            GROUP BY g.dossier_id, d.name
            ORDER BY gaps DESC, d.name
            LIMIT %s""",
            [limit],
        )
        return [{"dossier_id": row[0], "name": row[1], "gaps": row[2], "accounts": row[3]} for row in cursor.fetchall()]
