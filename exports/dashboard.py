"""The accountant's start page: only the dossiers that need something, with a count per column. Each column
is one grouped query, whatever the number of dossiers; then one query for the dossiers' names."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from banking.gaps import dossiers_with_gaps
from documents.models import Document, InboxItem
from dossiers.models import Dossier

from .models import Approval, ExportItem, Submission
from .policies import never_queued

COLUMNS = ("quick_entry", "ready", "awaiting_approval", "held_back", "failed", "coda_gaps", "exported_anyway")


def _grouped(queryset) -> dict[int, int]:
    return dict(queryset.values_list("dossier_id").annotate(n=Count("pk")).order_by())


def column_counts() -> dict[str, dict[int, int]]:
    """Per column, the count per dossier (only dossiers with something to count)."""
    not_out = Document.objects.awaiting_export().filter(never_queued())
    needs_approval = Coalesce("dossier__export_settings__needs_approval", False)
    approved = Exists(Approval.objects.filter(document=OuterRef("pk")))
    return {
        "quick_entry": _grouped(InboxItem.objects.filter(document__isnull=True)),
        "ready": _grouped(
            not_out.filter(dossier__export_settings__bob_reference__gt="")
            .alias(needs_approval=needs_approval, approved=approved)
            .filter(Q(needs_approval=False) | Q(approved=True))
        ),
        "awaiting_approval": _grouped(
            not_out.alias(needs_approval=needs_approval, approved=approved).filter(needs_approval=True, approved=False)
        ),
        "held_back": _grouped(Document.objects.held_back()),
        # Counted apart: documents that fail the rules and leave because the firm said so, not out yet.
        "exported_anyway": _grouped(not_out.filter(pk__in=Document.objects.released().values("pk"))),
        "failed": _grouped(ExportItem.objects.failed()),
        "coda_gaps": {row["dossier_id"]: row["gaps"] for row in dossiers_with_gaps(limit=None)},
    }


def dossiers_needing_something(limit: int = 200) -> dict:
    """Rows (dossier, counts) for every non-archived dossier with anything to show, most urgent first, plus
    column totals and the unseen submissions."""
    columns = column_counts()
    ids = set().union(*(counts.keys() for counts in columns.values()))
    dossiers = {d.pk: d for d in Dossier.objects.not_archived().filter(pk__in=ids).only("pk", "name")}
    rows = [
        {"dossier": dossier, **{name: columns[name].get(pk, 0) for name in COLUMNS}} for pk, dossier in dossiers.items()
    ]
    rows.sort(
        key=lambda row: (
            -row["failed"],
            -row["coda_gaps"],
            -row["held_back"],
            -row["quick_entry"],
            -row["awaiting_approval"],
            -row["ready"],
            row["dossier"].name,
        )
    )
    totals = {name: sum(row[name] for row in rows) for name in COLUMNS}
    submissions = list(Submission.objects.filter(seen_at__isnull=True).select_related("dossier")[:20])
    return {
        "rows": rows[:limit],
        "count": len(rows),
        "totals": totals,
        "submissions": submissions,
        "missing_reference": missing_reference(),
    }


def missing_reference(limit: int = 20) -> dict:
    """Dossiers without a Sage BOB reference (nothing of theirs leaves), those with the most waiting documents
    first, with the number waiting. Two queries."""
    waiting = (
        Document.objects.awaiting_export()
        .filter(never_queued(), dossier=OuterRef("pk"))
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    dossiers = Dossier.objects.not_archived().without_bob_reference()
    rows = list(
        dossiers.annotate(waiting=Coalesce(Subquery(waiting), 0))
        .only("pk", "name")
        .order_by("-waiting", "name")[:limit]
    )
    return {"rows": rows, "count": dossiers.count() if len(rows) == limit else len(rows)}
