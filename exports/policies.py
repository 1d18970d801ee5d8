"""When documents become due, per policy, as database conditions checked by the periodic run (never as
delayed tasks: a broker redelivers those). Times are Europe/Brussels."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from banking.models import CODA_CONNECTIONS, CodaStatement
from documents.models import Document, DocumentStatus

from .models import OPEN_STATES, Approval, ExportItem, ItemState, Policy

BRUSSELS = ZoneInfo("Europe/Brussels")
TEN_MINUTES = timedelta(minutes=10)


def month_cutoff(now: datetime) -> date:
    """The first day of the current month in Brussels: documents dated before it belong to ended months."""
    local = now.astimezone(BRUSSELS)
    return date(local.year, local.month, 1)


def next_month_start(now: datetime) -> datetime:
    local = now.astimezone(BRUSSELS)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=BRUSSELS)


def exportable_documents():
    """Final, valid documents that are not held back: the only ones that may ever leave."""
    return Document.objects.filter(status__in=[DocumentStatus.FINAL, DocumentStatus.EXPORTED], is_valid=True,
                                   wrong_buyer=False).filter(Q(duplicate_of__isnull=True) |
                                                             Q(duplicate_confirmed=True))


def pending_documents():
    """Exportable documents that have not been exported yet (a partial index keeps this cheap however long
    the history)."""
    return Document.objects.filter(status=DocumentStatus.FINAL, is_valid=True, wrong_buyer=False).filter(
        Q(duplicate_of__isnull=True) | Q(duplicate_confirmed=True))


def never_queued():
    """No item of any state for the document: neither delivered, waiting nor failed."""
    return ~Exists(ExportItem.objects.filter(document=OuterRef("pk")))


def already_out():
    """Delivered or waiting: what "include already exported" brings back."""
    return Exists(ExportItem.objects.filter(document=OuterRef("pk"),
                                            state__in=[ItemState.DELIVERED, *OPEN_STATES]))


def due_documents(now: datetime):
    """Documents that the scheduled run must queue now, over all dossiers of the current firm: exportable,
    never queued, in a dossier that is not archived, and due under the dossier's policy (a dossier without
    settings has the defaults: last full month, no approval)."""
    policy = Coalesce("dossier__export_settings__policy", Value(Policy.LAST_FULL_MONTH))
    needs_approval = Coalesce("dossier__export_settings__needs_approval", Value(False))
    by_policy = (Q(policy=Policy.LAST_FULL_MONTH, issue_date__lt=month_cutoff(now))
                 | Q(policy=Policy.AFTER_TEN_MINUTES, created_at__lte=now - TEN_MINUTES))
    approved = Exists(Approval.objects.filter(document=OuterRef("pk")))
    return (pending_documents()
            .exclude(dossier__status="archived")
            .alias(policy=policy, needs_approval=needs_approval, approved=approved)
            .filter(never_queued())
            .filter((Q(needs_approval=False) & by_policy)
                    | (Q(needs_approval=True, approved=True) & (by_policy | Q(policy=Policy.NEVER)))))


def exportable_statements():
    """Bank statements that go to the accountant's software: those of accounts connected through KBC or
    Billbank (statements uploaded by hand reach the accountant another way)."""
    return CodaStatement.objects.filter(account__connection__in=CODA_CONNECTIONS)


def statement_never_queued():
    return ~Exists(ExportItem.objects.filter(statement=OuterRef("pk")))


def due_statements(now: datetime):
    """Statements the scheduled run must queue now: with "last full month" those dated before the current
    month, with "after 10 minutes" as they arrive; with approval only submitted ones (at once for "never")."""
    prefix = "account__dossier__export_settings__"
    policy = Coalesce(prefix + "policy", Value(Policy.LAST_FULL_MONTH))
    needs_approval = Coalesce(prefix + "needs_approval", Value(False))
    by_policy = Q(policy=Policy.LAST_FULL_MONTH, date__lt=month_cutoff(now)) | Q(policy=Policy.AFTER_TEN_MINUTES)
    approved = Exists(Approval.objects.filter(statement=OuterRef("pk")))
    return (exportable_statements()
            .exclude(account__dossier__status="archived")
            .alias(policy=policy, needs_approval=needs_approval, approved=approved)
            .filter(statement_never_queued())
            .filter((Q(needs_approval=False) & by_policy)
                    | (Q(needs_approval=True, approved=True) & (by_policy | Q(policy=Policy.NEVER)))))
