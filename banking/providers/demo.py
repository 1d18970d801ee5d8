"""The demo bank connection: one CODA statement per business day for an account, internally consistent (each
opening balance is the previous closing balance, numbers restart at 1 each year), paying the dossier's final
sales invoices with their structured communication and paying its suppliers. Deterministic per account and day,
so fetching again gives the same bytes (and the duplicate check recognises them)."""

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from dossiers.models import Contact

from ..coda import belgian_iban
from ..coda_write import CodaAccount, CodaMovement, write_statement
from .base import BankProvider

FIRST_FETCH_DAYS = 45  # how far back a new connection's history starts
OPENING_BALANCE = Decimal("2500.00")
SHOPS = ["Colruyt Gent", "Total Energies", "Proximus", "Luminus", "Makro Machelen", "Bpost"]


def demo_iban(seed: str) -> str:
    """A valid Belgian IBAN derived from a name (for counterparties without one)."""
    base = int(hashlib.sha256(seed.encode()).hexdigest(), 16) % 10**10
    check = base % 97 or 97
    return belgian_iban(f"{base:010d}{check:02d}")


def business_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def pay_day(number: str, issue_date: date) -> date:
    """When the demo customer pays an invoice: 3 to 24 days after its date, on a business day."""
    day = issue_date + timedelta(days=3 + int(hashlib.sha256(number.encode()).hexdigest(), 16) % 22)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def day_movements(rng: random.Random, day: date, invoices: list, suppliers: list[Contact]) -> list[CodaMovement]:
    """The movements of one day: invoices paid that day, sometimes a supplier, a few card payments."""
    movements = []
    for invoice in invoices:
        if pay_day(invoice.number, invoice.issue_date) == day:
            digits = "".join(ch for ch in invoice.payment_reference if ch.isdigit())
            name = invoice.counterparty_name or "Klant"
            iban = invoice.customer.iban if invoice.customer_id and invoice.customer.iban else demo_iban(name)
            movements.append(
                CodaMovement(invoice.payable, day, name, iban, communication=digits, structured=len(digits) == 12)
            )
    if suppliers and rng.random() < 0.3:
        supplier = rng.choice(suppliers)
        amount = Decimal(rng.randrange(5000, 90000)) / 100
        movements.append(
            CodaMovement(
                -amount,
                day,
                supplier.name,
                supplier.iban or demo_iban(supplier.name),
                communication=f"Factuur {day:%Y}-{rng.randrange(100, 999)}",
                transaction_code="00150000",
            )
        )
    for _ in range(rng.randrange(0, 4)):
        shop = rng.choice(SHOPS)
        amount = Decimal(rng.randrange(300, 25000)) / 100
        movements.append(
            CodaMovement(
                -amount, day, shop, "", communication=f"Betaling Bancontact {shop}", transaction_code="00402000"
            )
        )
    return movements


class DemoProvider(BankProvider):
    name = "Demo"

    def fetch_new_statements(self, account, since: date | None) -> list[bytes]:
        from documents.models import Document, DocumentStatus

        last = account.statements.order_by("-year", "-number").first()
        yesterday = timezone.localdate() - timedelta(days=1)
        if last is not None:
            first_day, number, year, balance = last.date + timedelta(days=1), last.number, last.year, last.new_balance
            balance_date = last.date
        else:
            first_day = since + timedelta(days=1) if since else yesterday - timedelta(days=FIRST_FETCH_DAYS)
            number, year, balance, balance_date = 0, first_day.year, OPENING_BALANCE, first_day - timedelta(days=1)
        days = business_days(first_day, yesterday)
        if not days:
            return []
        dossier = account.dossier
        invoices = list(
            Document.objects.filter(
                dossier=dossier,
                direction="sales",
                is_credit_note=False,
                status__in=[DocumentStatus.FINAL, DocumentStatus.EXPORTED],
                issue_date__isnull=False,
            )
            .exclude(payment_reference="")
            .select_related("customer")
        )
        # An invoice is paid into the account it names (one payment, not one per account of the dossier).
        invoices = [i for i in invoices if not i.payment_iban or i.payment_iban == account.iban]
        suppliers = list(Contact.objects.filter(dossier=dossier, kind="supplier"))
        coda_account = CodaAccount(
            account.iban, account.currency, dossier.name, account.bic or "KREDBEBB", "725", dossier.enterprise_number
        )
        files = []
        for day in days:
            if day.year != year:
                year, number = day.year, 0
            number += 1
            rng = random.Random(f"{account.iban}:{day.isoformat()}")
            movements = day_movements(rng, day, invoices, suppliers)
            data = write_statement(coda_account, number, balance, balance_date, day, movements)
            balance += sum((m.amount for m in movements), Decimal("0"))
            balance_date = day
            files.append(data)
        return files
