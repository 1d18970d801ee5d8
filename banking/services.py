"""Rules about bank accounts and CODA: adding an account, ingesting CODA files (upload, bank connection,
command) with their checks, duplicates by statement and by file. Run in the current firm's schema."""

import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError
from dossiers.models import Dossier
from dossiers.services import audit
from firms.models import recorded_user
from firms.tenancy import current_schema

from .coda import CodaError, Statement, read_coda
from .models import CODA_CONNECTIONS, BankAccount, CodaFile, CodaStatement, Connection, Movement, Source

MAX_BYTES = 20 * 1024 * 1024  # a year of daily statements of a busy account stays well below this


@dataclass(frozen=True)
class StatementResult:
    outcome: str  # stored, duplicate
    account: str
    year: int
    number: int
    message: str


@dataclass
class IngestResult:
    outcome: str  # stored (at least one statement), duplicate (nothing new), refused (nothing stored)
    message: str
    statements: list[StatementResult] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(1 for s in self.statements if s.outcome == "stored")


def refusal_message(error: CodaError) -> str:
    """The reader's reason in the active language, with the line number."""
    reason = _(error.message) % error.params if error.params else _(error.message)
    if error.line is None:
        return reason
    return _("Line %(line)s: %(reason)s") % {"line": error.line, "reason": reason}


def add_account(
    dossier: Dossier,
    iban: str,
    *,
    currency: str = "EUR",
    bic: str = "",
    bank_name: str = "",
    connection_kind: str = Connection.UPLOAD,
    actor=None,
) -> BankAccount:
    """Add a bank account (IBAN already checked) to a dossier; refuses one the firm already knows."""
    existing = BankAccount.objects.filter(iban=iban, currency=currency).select_related("dossier").first()
    if existing is not None:
        if existing.dossier_id == dossier.pk:
            raise PortalError(_("This dossier already has this account."), code=ErrorCode.TAKEN)
        raise PortalError(_("This account belongs to another dossier of the firm."), code=ErrorCode.TAKEN)
    try:
        with transaction.atomic():
            account = BankAccount.objects.create(
                dossier=dossier,
                iban=iban,
                currency=currency,
                bic=bic,
                bank_name=bank_name,
                connection=connection_kind,
                connected_since=timezone.now() if connection_kind in CODA_CONNECTIONS else None,
            )
    except IntegrityError:
        raise PortalError(_("This account is already known in this firm."), code=ErrorCode.TAKEN) from None
    audit(dossier, actor, "bank_account_added", iban=iban)
    return account


def change_connection(account: BankAccount, connection_kind: str, actor=None, **fields) -> BankAccount:
    """Change how an account is connected (and its BIC / bank name); "CODA since" starts when it becomes a
    KBC or Billbank connection."""
    was_coda = account.delivers_coda
    account.connection = connection_kind
    for name, value in fields.items():
        setattr(account, name, value)
    if account.delivers_coda and not was_coda:
        account.connected_since = timezone.now()
    elif not account.delivers_coda:
        account.connected_since = None
    account.save()
    audit(account.dossier, actor, "bank_account_changed", iban=account.iban, connection=connection_kind)
    return account


def _store(data: bytes, digest: str) -> str:
    path = f"coda/{current_schema()}/{digest[:2]}/{digest}.cod"
    if default_storage.exists(path):
        return path
    return default_storage.save(path, ContentFile(data))


def _resolve_accounts(dossier: Dossier, statements: list[Statement]) -> dict[tuple[str, str], BankAccount | None]:
    """The accounts of the file by (account, currency): the dossier's own, or None when new. Refuses an
    account that belongs to another dossier of the firm."""
    keys = {(s.account, s.currency) for s in statements}
    wanted = Q()
    for iban, currency in keys:
        wanted |= Q(iban=iban, currency=currency)
    found = {(a.iban, a.currency): a for a in BankAccount.objects.filter(wanted)}
    for account in found.values():
        if account.dossier_id != dossier.pk:
            raise PortalError(
                _("Account %(iban)s belongs to another dossier of the firm.") % {"iban": account.iban_display},
                code=ErrorCode.TAKEN,
            )
    return {key: found.get(key) for key in keys}


def ingest_coda(
    dossier: Dossier, data: bytes, filename: str = "", actor=None, source: str = Source.UPLOAD, bank_name: str = ""
) -> IngestResult:
    """Read, check and store a CODA file for a dossier, all or nothing.

    Refuses (nothing stored) an empty or too large file, one that is not consistent CODA (reason and line
    number), and one holding an account of another dossier. The same file twice, and statements already
    received (same account, year and number), are reported as duplicates and not stored again. An account
    the portal does not know yet is added to the dossier as connected by upload. Each statement keeps its own
    original bytes (header to trailer) and their sha256."""
    if not data:
        return IngestResult("refused", _("The file is empty."))
    if len(data) > MAX_BYTES:
        return IngestResult("refused", _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 2**20})
    try:
        statements = read_coda(data)
    except CodaError as error:
        return IngestResult("refused", refusal_message(error))
    digest = hashlib.sha256(data).hexdigest()
    if CodaFile.objects.filter(sha256=digest).exists():
        return IngestResult(
            "duplicate",
            _("This file was already received."),
            [StatementResult("duplicate", s.account, s.year, s.number, _("Already received.")) for s in statements],
        )
    try:
        accounts = _resolve_accounts(dossier, statements)
    except PortalError as error:
        return IngestResult("refused", error.message)
    known = [a.pk for a in accounts.values() if a is not None]
    present = set(CodaStatement.objects.filter(account_id__in=known).values_list("account_id", "year", "number"))
    written: list[str] = []
    try:
        with transaction.atomic():
            if source == Source.BANK:
                # A fetched statement lost in a crash right after commit is fetched again on the next run (the
                # fetch is idempotent), so the bulk feed need not wait for the WAL flush; uploads do.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            results, new_rows = _save(
                dossier, statements, accounts, present, data, digest, filename, actor, source, bank_name, written
            )
            if new_rows:
                audit(dossier, actor, "coda_received", file=filename[:100], statements=new_rows)
    except IntegrityError:
        # The same statement or file arrived at the same moment through another way; nothing was stored here.
        _forget(written)
        return IngestResult("duplicate", _("These statements arrived at the same moment another way."))
    except Exception:
        _forget(written)
        raise
    if new_rows == 0:
        return IngestResult("duplicate", _("Every statement in this file was already received."), results)
    return IngestResult("stored", _("%(count)s statement(s) stored.") % {"count": new_rows}, results)


def _forget(paths: list[str]) -> None:
    for path in paths:
        if not CodaStatement.objects.filter(file=path).exists():
            default_storage.delete(path)


def _save(
    dossier, statements, accounts, present, data, digest, filename, actor, source, bank_name, written
) -> tuple[list[StatementResult], int]:
    results: list[StatementResult] = []
    new: list[tuple[Statement, BankAccount]] = []
    for s in statements:
        account = accounts[(s.account, s.currency)]
        if account is None:
            account = BankAccount.objects.create(
                dossier=dossier,
                iban=s.account,
                currency=s.currency,
                bic=s.bic[:11],
                bank_name=bank_name,
                connection=Connection.UPLOAD,
            )
            accounts[(s.account, s.currency)] = account
        key = (account.pk, s.year, s.number)
        if key in present:
            results.append(StatementResult("duplicate", s.account, s.year, s.number, _("Already received.")))
            continue
        present.add(key)
        new.append((s, account))
        results.append(StatementResult("stored", s.account, s.year, s.number, _("Stored.")))
    if not new:
        return results, 0
    coda_file = CodaFile.objects.create(
        dossier=dossier,
        sha256=digest,
        size=len(data),
        original_name=filename[:255],
        source=source,
        uploaded_by=recorded_user(actor),
    )
    rows = []
    for s, account in new:
        slice_digest = digest if len(s.data) == len(data) else hashlib.sha256(s.data).hexdigest()
        path = _store(s.data, slice_digest)
        written.append(path)
        rows.append(
            CodaStatement(
                account=account,
                coda_file=coda_file,
                year=s.year,
                number=s.number,
                date=s.new_balance_date or s.old_balance_date,  # read_coda fills it: never None
                old_balance=s.old_balance,
                old_balance_date=s.old_balance_date,
                new_balance=s.new_balance,
                total_debit=s.total_debit,
                total_credit=s.total_credit,
                movement_count=len(s.movements),
                file=path,
                sha256=slice_digest,
                size=len(s.data),
            )
        )
    CodaStatement.objects.bulk_create(rows)
    Movement.objects.bulk_create(
        [
            Movement(
                statement=row,
                sequence=m.sequence,
                entry_date=m.entry_date,
                value_date=m.value_date,
                amount=m.amount,
                counterparty_name=m.counterparty_name[:70],
                counterparty_account=m.counterparty_account[:34],
                communication=m.communication[:300],
                structured=m.structured,
                transaction_code=m.transaction_code,
                bank_reference=m.bank_reference,
            )
            for row, (s, _account) in zip(rows, new, strict=True)
            for m in s.movements
        ],
        batch_size=2000,
    )
    return results, len(rows)


def accounts_with_status(dossier_id: int | None = None):
    """Bank accounts with their CODA status (last statement, number of statements), for the firm or one
    dossier: one query."""
    accounts = BankAccount.objects.select_related("dossier").annotate(
        exports_uploaded=Coalesce("dossier__export_settings__export_uploaded_coda", Value(False)),
        last_statement_date=Max("statements__date"),
        last_received_at=Max("statements__received_at"),
        statement_count=Count("statements"),
    )
    if dossier_id is not None:
        accounts = accounts.filter(dossier_id=dossier_id)
    return accounts.order_by("dossier__name", "iban")


def fetch_statements(account: BankAccount) -> list[IngestResult]:
    """Ask the account's bank connection for new statements and ingest them. Safe to repeat: statements already
    received come back as duplicates. Raises ProviderNotConfigured when the connection cannot be used here."""
    from .providers import provider_for

    provider = provider_for(account)
    if provider is None:
        return []
    since = account.statements.aggregate(last=Max("date"))["last"]
    files = provider.fetch_new_statements(account, since)
    results = [
        ingest_coda(account.dossier, data, f"{provider.name.lower()}-{account.iban}.cod", None, Source.BANK)
        for data in files
    ]
    BankAccount.objects.filter(pk=account.pk).update(last_fetched_at=timezone.now())
    return results
