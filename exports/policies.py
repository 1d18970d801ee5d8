"""When documents become due, per policy, as database conditions checked by the periodic run (never as
delayed tasks: a broker redelivers those). Times are Europe/Brussels."""

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from banking.models import CODA_CONNECTIONS, CodaStatement
from documents.models import Document
from dossiers.models import DossierStatus

from .models import Approval, ExportItem, Policy

BRUSSELS = ZoneInfo("Europe/Brussels")
TEN_MINUTES = timedelta(minutes=10)
M = TypeVar("M", bound=Model)


def month_cutoff(now: datetime) -> date:
    """The first day of the current month in Brussels: documents dated before it belong to ended months."""
    local = now.astimezone(BRUSSELS)
    return date(local.year, local.month, 1)


def next_month_start(now: datetime) -> datetime:
    local = now.astimezone(BRUSSELS)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=BRUSSELS)


def never_queued() -> Combinable:
    """No item of any state for the document: neither delivered, waiting nor failed."""
    return ~Exists(ExportItem.objects.filter(document=OuterRef("pk")))


def _due(queryset: QuerySet[M, M], dossier: str, approval: str, month_end: Q, ten_minutes: Q) -> QuerySet[M, M]:
    """What of `queryset` (reaching its dossier through `dossier`) is due under each dossier's policy; with
    approval only what was submitted, and then at once for "never". Nothing of a dossier without a Sage BOB
    reference (or without settings, which has none) is ever due."""
    by_policy = Q(policy=Policy.LAST_FULL_MONTH) & month_end | Q(policy=Policy.AFTER_TEN_MINUTES) & ten_minutes
    due = (
        queryset.exclude(**{f"{dossier}__status": DossierStatus.ARCHIVED})
        .filter(**{f"{dossier}__export_settings__bob_reference__gt": ""})  # no reference: everything waits
        .alias(
            policy=Coalesce(f"{dossier}__export_settings__policy", Value(Policy.LAST_FULL_MONTH)),
            needs_approval=Coalesce(f"{dossier}__export_settings__needs_approval", Value(False)),
            approved=Exists(Approval.objects.filter(**{approval: OuterRef("pk")})),
        )
        .filter(
            (Q(needs_approval=False) & by_policy)
            | (Q(needs_approval=True, approved=True) & (by_policy | Q(policy=Policy.NEVER)))
        )
    )
    return cast(QuerySet[M, M], due)  # the stubs lose the model through alias()


def due_documents(now: datetime) -> QuerySet[Document]:
    """Documents the scheduled run must queue now, over all dossiers of the current firm: exportable, never
    queued, dated in an ended month ("last full month") or created 10 minutes ago ("after 10 minutes")."""
    return _due(
        Document.objects.awaiting_export().filter(never_queued()),
        "dossier",
        "document",
        Q(issue_date__lt=month_cutoff(now)),
        Q(created_at__lte=now - TEN_MINUTES),
    )


def exportable_statements() -> QuerySet[CodaStatement]:
    """Bank statements that go to the accountant's software: those of accounts connected through KBC or
    Billbank, and, in a dossier that says "also export uploaded CODA statements", every other account's too
    (by default statements uploaded by hand reach the accountant another way)."""
    return CodaStatement.objects.filter(
        Q(account__connection__in=CODA_CONNECTIONS) | Q(account__dossier__export_settings__export_uploaded_coda=True)
    )


class StatementExport(StrEnum):
    """Whether and why an account's statements are exported (the bank tab says it per account)."""

    CONNECTED = "connected"  # through KBC or Billbank: always
    UPLOADED_TOO = "uploaded_too"  # uploaded by hand, and the dossier exports uploaded statements
    NOT_UPLOADED = "not_uploaded"  # uploaded by hand, and the dossier does not export them


def statement_export(connection: str, export_uploaded_coda: bool) -> StatementExport:
    """The rule of `exportable_statements` for one account."""
    if connection in CODA_CONNECTIONS:
        return StatementExport.CONNECTED
    return StatementExport.UPLOADED_TOO if export_uploaded_coda else StatementExport.NOT_UPLOADED


def statement_never_queued() -> Combinable:
    return ~Exists(ExportItem.objects.filter(statement=OuterRef("pk")))


def due_statements(now: datetime) -> QuerySet[CodaStatement]:
    """Statements the scheduled run must queue now: dated before the current month ("last full month") or
    as they arrive ("after 10 minutes")."""
    return _due(
        exportable_statements().filter(statement_never_queued()),
        "account__dossier",
        "statement",
        Q(date__lt=month_cutoff(now)),
        Q(),
    )
