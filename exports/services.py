"""Export rules: settings per dossier, the scheduled run, manual exports, the entrepreneur's submission, and
what happens to an item when an agent delivers it or reports a failure. Run in the current firm's schema.

Safety does not rest on Python: a per-dossier advisory lock serialises runs of one dossier, and a partial
unique index allows one open item per document and target, so concurrent or repeated runs queue each
document once.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from banking.gaps import gaps_for_dossier
from banking.models import CodaStatement
from core.errors import ErrorCode, PortalError
from core.locking import lock_keys
from documents.models import Direction, Document, DocumentStatus, InboxItem
from dossiers.models import Dossier
from dossiers.services import audit
from firms.models import recorded_user

from . import layout
from .defaults import own_fields
from .models import (
    DEFAULTED_FIELDS,
    Approval,
    ExportBatch,
    ExportDefaults,
    ExportItem,
    ExportSettings,
    ItemState,
    Kind,
    Policy,
    Submission,
    Trigger,
)
from .policies import (
    BRUSSELS,
    due_documents,
    due_statements,
    exportable_statements,
    never_queued,
    statement_never_queued,
)

DOCUMENT_FIELDS = (
    "pk",
    "dossier_id",
    "direction",
    "number",
    "issue_date",
    "created_at",
    "counterparty_name",
    "ubl",
    "ubl_size",
    "ubl_sha256",
)


def settings_for(dossier: Dossier) -> ExportSettings:
    """The dossier's export settings; the firm's defaults (unsaved, no reference) when it has none yet."""
    try:
        return dossier.export_settings
    except ExportSettings.DoesNotExist:
        return ExportSettings(dossier=dossier, **ExportDefaults.current().values())


def target_folders(dossier: Dossier, export_settings: ExportSettings | None = None) -> dict[str, str]:
    """The dossier's folder per kind; {} while it has no Sage BOB reference (nothing of it is queued)."""
    chosen = export_settings or settings_for(dossier)
    return layout.folders(
        chosen.bob_reference,
        {Kind.PURCHASES: chosen.purchases_folder, Kind.SALES: chosen.sales_folder, Kind.CODA: chosen.coda_folder},
    )


def save_settings(dossier: Dossier, values: dict, actor) -> ExportSettings:
    """Store the dossier's export settings; folders and the BOB reference are checked (LayoutError) before
    anything is saved. A setting that differs from the firm's default becomes the dossier's own; one equal to
    it follows the default again."""
    if "bob_reference" in values:
        values["bob_reference"] = layout.clean_bob_reference(values["bob_reference"])
    for field in ("purchases_folder", "sales_folder", "coda_folder"):
        values[field] = layout.clean_folder(values.get(field, ""))
    values["own_fields"] = own_fields(values, ExportDefaults.current())
    with transaction.atomic():
        chosen, _created = ExportSettings.objects.update_or_create(dossier=dossier, defaults=values)
        if chosen.lock_after_export:
            # Switched on now: what was exported before is locked as well, not only what leaves from now on.
            Document.objects.filter(dossier=dossier, status=DocumentStatus.EXPORTED, locked=False).update(locked=True)
        audit(dossier, actor, "export_settings_changed", policy=chosen.policy)
    return chosen


def setting_origins(export_settings: ExportSettings) -> list[tuple[str, object, bool]]:
    """(label, value shown, is the dossier's own) per defaulted setting: what the dossier page shows."""
    rows: list[tuple[str, object, bool]] = []
    for name in DEFAULTED_FIELDS:
        field = ExportSettings._meta.get_field(name)
        value = getattr(export_settings, name)
        choices = getattr(field, "choices", None)
        shown = dict(choices)[value] if choices else (_("yes") if value else _("no"))
        rows.append((str(getattr(field, "verbose_name", name)), shown, export_settings.is_own(name)))
    return rows


def _document_item(row: dict, folders: dict[str, str], by_invoice_date: bool) -> ExportItem:
    kind = Kind.SALES if row["direction"] == Direction.SALES else Kind.PURCHASES
    day = row["issue_date"] if by_invoice_date and row["issue_date"] else row["created_at"].astimezone(BRUSSELS).date()
    name = layout.document_filename(day, row["pk"], row["number"], row["counterparty_name"])
    return ExportItem(
        dossier_id=row["dossier_id"],
        kind=kind,
        document_id=row["pk"],
        path=f"{folders[kind]}/{name}",
        file=row["ubl"],
        size=row["ubl_size"],
        sha256=row["ubl_sha256"],
    )


STATEMENT_FIELDS = (
    "pk",
    "account__dossier_id",
    "account__iban",
    "year",
    "number",
    "date",
    "received_at",
    "file",
    "size",
    "sha256",
)


def _statement_item(row: dict, folders: dict[str, str], by_statement_date: bool) -> ExportItem:
    day = row["date"] if by_statement_date else row["received_at"].astimezone(BRUSSELS).date()
    name = layout.statement_filename(day, row["pk"], row["account__iban"], row["year"], row["number"])
    return ExportItem(
        dossier_id=row["account__dossier_id"],
        kind=Kind.CODA,
        statement_id=row["pk"],
        path=f"{folders[Kind.CODA]}/{name}",
        file=row["file"],
        size=row["size"],
        sha256=row["sha256"],
    )


def _queue(
    dossier_ids: list[int],
    documents,
    statements=None,
    *,
    trigger: str,
    actor=None,
    period: tuple = (None, None),
    include_exported: bool = False,
) -> dict[Dossier, ExportBatch]:
    """One batch per dossier of `dossier_ids` with an item per document of `documents` and per statement of
    `statements` in it, all in one transaction. Both are read again under the dossiers' locks (taken in id
    order, so runs never deadlock); a dossier with nothing left to queue gets no batch."""
    creator = recorded_user(actor)
    with transaction.atomic():
        lock_keys("export-run", dossier_ids)  # export runs of a dossier, whoever runs them, one at a time
        # Read under the locks: only dossiers with a Sage BOB reference get anything queued (no folder is ever
        # invented from a client's name); the others' documents wait until a reference is set.
        current = {
            chosen.dossier_id: chosen
            for chosen in ExportSettings.objects.filter(dossier_id__in=dossier_ids)
            .exclude(bob_reference="")
            .select_related("dossier")
        }
        by_id = {dossier_id: chosen.dossier for dossier_id, chosen in current.items()}
        grouped: dict[int, list[tuple]] = {}
        for row in documents.filter(dossier_id__in=by_id).order_by("dossier_id", "pk").values(*DOCUMENT_FIELDS):
            grouped.setdefault(row["dossier_id"], []).append((_document_item, row))
        if statements is not None:
            for row in (
                statements.filter(account__dossier_id__in=by_id)
                .order_by("account__dossier_id", "pk")
                .values(*STATEMENT_FIELDS)
            ):
                grouped.setdefault(row["account__dossier_id"], []).append((_statement_item, row))
        if not grouped:
            return {}
        batches = dict(
            zip(
                grouped,
                ExportBatch.objects.bulk_create(
                    [
                        ExportBatch(
                            dossier=by_id[dossier_id],
                            trigger=trigger,
                            created_by=creator,
                            period_from=period[0],
                            period_until=period[1],
                            include_exported=include_exported,
                        )
                        for dossier_id in grouped
                    ]
                ),
                strict=True,
            )
        )
        items = []
        for dossier_id, dossier_rows in grouped.items():
            export_settings = current[dossier_id]
            folders = target_folders(by_id[dossier_id], export_settings)
            for make_item, row in dossier_rows:
                item = make_item(row, folders, export_settings.name_by_invoice_date)
                item.batch = batches[dossier_id]
                items.append(item)
        # The unique index has the last word on "already open": a conflicting item is skipped.
        ExportItem.objects.bulk_create(items, ignore_conflicts=True, batch_size=2000)
        counts = dict(
            ExportItem.objects.filter(batch__in=batches.values())
            .values_list("batch")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for batch in batches.values():
            batch.item_count = counts.get(batch.pk, 0)
        ExportBatch.objects.bulk_update([b for b in batches.values() if b.item_count], ["item_count"])
        ExportBatch.objects.filter(pk__in=[b.pk for b in batches.values() if not b.item_count]).delete()
        return {by_id[dossier_id]: batch for dossier_id, batch in batches.items() if batch.item_count}


DOSSIERS_PER_TRANSACTION = 50


def queue_due_items(now: datetime | None = None) -> dict[Dossier, int]:
    """Apply every dossier's policy of the current firm as of `now`: queue what is due. Safe to repeat, to
    run concurrently and to re-run after a crash (each group of dossiers commits on its own). Returns the
    number of items queued per dossier."""
    now = now or timezone.now()
    # The dossiers with something due, in one query (the union removes repeats).
    due = sorted(
        due_documents(now)
        .values_list("dossier_id", flat=True)
        .order_by()
        .union(due_statements(now).values_list("account__dossier_id", flat=True).order_by())
    )
    queued = {}
    for start in range(0, len(due), DOSSIERS_PER_TRANSACTION):
        group = due[start : start + DOSSIERS_PER_TRANSACTION]
        for dossier, batch in _queue(group, due_documents(now), due_statements(now), trigger=Trigger.SCHEDULED).items():
            queued[dossier] = batch.item_count
    return queued


def missing_reference_message(dossier: Dossier) -> str:
    return _("%(name)s has no Sage BOB reference yet: nothing of it leaves until one is set.") % {"name": dossier.name}


@dataclass(frozen=True)
class ManualChoice:
    period_from: date | None
    period_until: date | None
    kinds: tuple[str, ...]  # Kind values
    include_exported: bool = False


def _chosen(queryset, choice: ManualChoice, date_field: str, item_field: str):
    """Narrow to the chosen period; leave out what is on its way (an open item), and unless asked, what was
    ever queued."""
    if choice.period_from:
        queryset = queryset.filter(**{f"{date_field}__gte": choice.period_from})
    if choice.period_until:
        queryset = queryset.filter(**{f"{date_field}__lte": choice.period_until})
    items = ExportItem.objects.filter(**{item_field: OuterRef("pk")})
    if choice.include_exported:
        return queryset.exclude(Exists(items.open()))
    return queryset.exclude(Exists(items))


def manual_documents(dossier: Dossier, choice: ManualChoice):
    """What a manual export would take: exportable documents of the period and kinds; already exported ones
    only when asked; never those already on their way (open item)."""
    directions = [
        d for kind, d in ((Kind.SALES, Direction.SALES), (Kind.PURCHASES, Direction.PURCHASE)) if kind in choice.kinds
    ]
    documents = _chosen(
        Document.objects.deliverable().filter(dossier=dossier, direction__in=directions),
        choice,
        "issue_date",
        "document",
    )
    return documents if choice.include_exported else documents.exclude(status=DocumentStatus.EXPORTED)


def manual_statements(dossier: Dossier, choice: ManualChoice):
    """The bank statements a manual export would take (KBC and Billbank accounts only), by statement date."""
    if Kind.CODA not in choice.kinds:
        return CodaStatement.objects.none()
    return _chosen(exportable_statements().filter(account__dossier=dossier), choice, "date", "statement")


def preview_manual_export(dossier: Dossier, choice: ManualChoice) -> dict[str, int]:
    counts = dict(manual_documents(dossier, choice).values_list("direction").annotate(n=Count("pk")).order_by())
    return {
        Kind.SALES: counts.get(Direction.SALES, 0),
        Kind.PURCHASES: counts.get(Direction.PURCHASE, 0),
        Kind.CODA: manual_statements(dossier, choice).count(),
    }


def export_manually(dossier: Dossier, choice: ManualChoice, actor) -> ExportBatch | None:
    """The accountant's export by hand: ignores policy and approval, never takes held-back documents. Refused
    (INCOMPLETE) while the dossier has no Sage BOB reference."""
    if not settings_for(dossier).bob_reference:
        raise PortalError(missing_reference_message(dossier), code=ErrorCode.INCOMPLETE)
    batch = _queue(
        [dossier.pk],
        manual_documents(dossier, choice),
        manual_statements(dossier, choice),
        trigger=Trigger.MANUAL,
        actor=actor,
        period=(choice.period_from, choice.period_until),
        include_exported=choice.include_exported,
    ).get(dossier)
    audit(dossier, actor, "exported_by_hand", items=batch.item_count if batch else 0)
    return batch


def awaiting_approval(dossier: Dossier):
    """Documents the entrepreneur can submit: exportable, not yet out, not yet submitted."""
    return (
        Document.objects.awaiting_export()
        .filter(dossier=dossier)
        .filter(never_queued())
        .exclude(Exists(Approval.objects.filter(document=OuterRef("pk"))))
    )


def statements_awaiting_approval(dossier: Dossier):
    return (
        exportable_statements()
        .filter(account__dossier=dossier)
        .filter(statement_never_queued())
        .exclude(Exists(Approval.objects.filter(statement=OuterRef("pk"))))
    )


def submit_for_export(
    dossier: Dossier, actor, period_from: date | None = None, period_until: date | None = None, link: str = ""
) -> Submission:
    """The entrepreneur hands over what is ready (all, or a period). The accountant is notified (by mail with
    `link` to the dossier's export page)."""
    documents = awaiting_approval(dossier)
    statements = statements_awaiting_approval(dossier)
    if period_from:
        documents = documents.filter(issue_date__gte=period_from)
        statements = statements.filter(date__gte=period_from)
    if period_until:
        documents = documents.filter(issue_date__lte=period_until)
        statements = statements.filter(date__lte=period_until)
    with transaction.atomic():
        ids = list(documents.values_list("pk", flat=True))
        statement_ids = list(statements.values_list("pk", flat=True))
        if not ids and not statement_ids:
            raise PortalError(_("There is nothing to submit for this period."), code=ErrorCode.INCOMPLETE)
        submission = Submission.objects.create(
            dossier=dossier,
            submitted_by=actor,
            period_from=period_from,
            period_until=period_until,
            document_count=len(ids),
        )
        Approval.objects.bulk_create(
            [Approval(submission=submission, document_id=pk) for pk in ids]
            + [Approval(submission=submission, statement_id=pk) for pk in statement_ids],
            ignore_conflicts=True,
        )
        audit(dossier, actor, "submitted_for_export", documents=len(ids))
    from .notifications import notify_submission

    transaction.on_commit(lambda: notify_submission(submission, link))
    return submission


def deliver_items(item_ids: list[int], agent: str, now: datetime | None = None) -> set[int]:
    """The agent wrote these files: each open item among them is delivered, its document exported (and locked
    where the dossier says so). Returns the ids that were delivered now; items already delivered, or no longer
    open, are left as they are (a repeated acknowledgement changes nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivered = list(
            ExportItem.objects.select_for_update()
            .open()
            .filter(pk__in=item_ids)
            .order_by("pk")
            .values_list("pk", "document_id", "dossier_id")
        )
        if not delivered:
            return set()
        ExportItem.objects.filter(pk__in=[pk for pk, _d, _s in delivered]).update(
            state=ItemState.DELIVERED,
            delivered_at=now,
            delivered_by=agent[:200],
            lease_token="",
            leased_until=None,
            error="",
            error_code="",
        )
        with_document = [(document, dossier) for _pk, document, dossier in delivered if document]
        locking = dict(
            ExportSettings.objects.filter(dossier_id__in={dossier for _d, dossier in with_document}).values_list(
                "dossier_id", "lock_after_export"
            )
        )
        default = ExportSettings._meta.get_field("lock_after_export").get_default()
        for lock in (True, False):
            documents = [document for document, dossier in with_document if locking.get(dossier, default) is lock]
            if documents:
                changes = {"status": DocumentStatus.EXPORTED, "exported_at": now, **({"locked": True} if lock else {})}
                Document.objects.filter(pk__in=documents).update(**changes)
    return {pk for pk, _d, _s in delivered}


def mark_failed(item_id: int, code: str, message: str, now: datetime | None = None) -> bool:
    """The agent could not write the file; the accountant sees why and can re-queue it."""
    return bool(
        ExportItem.objects.filter(pk=item_id, state=ItemState.WAITING).update(
            state=ItemState.FAILED,
            failed_at=now or timezone.now(),
            error_code=code[:60],
            error=message[:2000],
            lease_token="",
            leased_until=None,
        )
    )


def requeue_item(item: ExportItem, actor) -> None:
    """A failed item goes back to waiting; the agent offers it again."""
    if not ExportItem.objects.filter(pk=item.pk, state=ItemState.FAILED).update(
        state=ItemState.WAITING, error="", error_code="", failed_at=None
    ):
        raise PortalError(_("Only a failed item can be sent again."), code=ErrorCode.NOT_ALLOWED_IN_STATE)
    audit(item.dossier, actor, "export_item_requeued", path=item.path)


def next_automatic_export(export_settings: ExportSettings, now: datetime | None = None) -> str:
    """When the next automatic export happens, in words for the Integrations tab."""
    from django.utils.formats import date_format

    from .policies import next_month_start

    now = now or timezone.now()
    if export_settings.needs_approval:
        return _("After the entrepreneur submits documents for export.")
    if export_settings.policy == Policy.NEVER:
        return _("Never: only when you export by hand.")
    if export_settings.policy == Policy.AFTER_TEN_MINUTES:
        return _("Continuously: each document 10 minutes after it was created.")
    return _("On %(date)s, for the documents of %(month)s and earlier.") % {
        "date": date_format(next_month_start(now).date(), "DATE_FORMAT"),
        "month": date_format(now.astimezone(BRUSSELS).date(), "YEAR_MONTH_FORMAT"),
    }


@dataclass(frozen=True)
class DossierExportStatus:
    """What waits or went wrong for one dossier (its page's Status card)."""

    held_back: int
    quick_entry: int
    failed: int
    waiting: int
    gaps: int
    next_export: str
    bob_reference: str = ""  # empty: nothing of the dossier leaves until one is set


def dossier_export_status(dossier: Dossier) -> DossierExportStatus:
    """Two queries whatever the dossier holds: the counts in one, the bank statements' gaps in the other."""

    def count(queryset) -> Subquery:
        return Subquery(
            queryset.filter(dossier=OuterRef("pk")).order_by().values("dossier").annotate(n=Count("pk")).values("n")
        )

    row = (
        Dossier.objects.filter(pk=dossier.pk)
        .select_related("export_settings")
        .annotate(
            held_back=count(Document.objects.held_back()),
            quick_entry=count(InboxItem.objects.filter(document__isnull=True)),
            failed=count(ExportItem.objects.failed()),
            waiting=count(ExportItem.objects.waiting()),
        )
        .get()
    )
    return DossierExportStatus(
        held_back=row.held_back or 0,
        quick_entry=row.quick_entry or 0,
        failed=row.failed or 0,
        waiting=row.waiting or 0,
        gaps=len(gaps_for_dossier(dossier.pk)),
        next_export=next_automatic_export(settings_for(row)),
        bob_reference=settings_for(row).bob_reference,
    )


def held_back_counts(dossier_ids=None) -> dict[int, int]:
    """Documents that will not leave (failing rules, probable duplicate, other company), per dossier."""
    documents = Document.objects.held_back()
    if dossier_ids is not None:
        documents = documents.filter(dossier_id__in=dossier_ids)
    return dict(documents.values_list("dossier_id").annotate(n=Count("pk")).order_by())
