"""Demo bank accounts for `make run`: connected accounts that receive the demo bank's CODA (paying the demo
sales invoices), and one account uploaded by hand with a statement missing, so the gap shows. Idempotent."""

from django_tenants.utils import schema_context

from dossiers.models import Dossier
from firms.models import Firm

from .coda import belgian_iban
from .models import BankAccount, Connection
from .providers.demo import DemoProvider
from .services import add_account, fetch_statements, ingest_coda

# dossier, bank code + account (10 digits incl. the bank code, the check pair is computed), BIC, bank, connection
ACCOUNTS = [
    ("0202239951", "7340012345", "KREDBEBB", "KBC", Connection.KBC),
    ("0202239951", "0682233445", "GKCCBEBB", "Belfius", Connection.BILLBANK),
    ("0417497106", "3630123456", "BBRUBEBB", "ING", Connection.BILLBANK),
    ("0406798006", "0010987654", "GEBABEBB", "BNP Paribas Fortis", Connection.UPLOAD),
]


def _iban(digits: str) -> str:
    return belgian_iban(f"{digits}{int(digits) % 97 or 97:02d}")


def seed_banking(firm: Firm) -> None:
    with schema_context(firm.schema_name):
        for number, digits, bic, bank, connection in ACCOUNTS:
            dossier = Dossier.objects.filter(enterprise_number=number).first()
            iban = _iban(digits)
            if dossier is None or BankAccount.objects.filter(iban=iban).exists():
                continue
            account = add_account(dossier, iban, bic=bic, bank_name=bank, connection_kind=connection)
            if account.delivers_coda:
                fetch_statements(account)
                continue
            # Uploaded by hand, and one statement never arrived: the dossier shows a gap.
            files = DemoProvider().fetch_new_statements(account, None)
            for index, data in enumerate(files):
                if index != len(files) // 2:
                    ingest_coda(dossier, data, f"upload-{index}.cod")
