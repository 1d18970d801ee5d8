"""The firm's decisions about a held received document besides keeping and deleting it (`services`): moving it to
another dossier of the firm, and letting one that fails the rules leave anyway, with a reason. Who may take them:
`firms.permissions.Permission.DECIDE`."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError
from dossiers.models import Dossier
from dossiers.services import audit
from firms.models import recorded_user

from .models import Direction, Document, DocumentStatus
from .services import settle

MAX_REASON = 1000


def _not_exported(document: Document) -> None:
    if document.locked or document.status == DocumentStatus.EXPORTED:
        raise PortalError(
            _("This document is locked: it was exported. Correct it with a credit note."), code=ErrorCode.LOCKED
        )


def _same_invoice_in(dossier: Dossier, document: Document) -> Document | None:
    """The oldest received document of `dossier` this one is probably a copy of (as on import: same supplier,
    kind, number and amount)."""
    if document.counterparty_vat or document.counterparty_number:
        supplier = Q(pk__in=[])
        for key in ("counterparty_vat", "counterparty_number"):
            if getattr(document, key):
                supplier |= Q(**{key: getattr(document, key)})
    else:
        supplier = Q(counterparty_name__iexact=document.counterparty_name)
    return (
        Document.objects.filter(
            supplier,
            dossier=dossier,
            direction=Direction.PURCHASE,
            is_credit_note=document.is_credit_note,
            number=document.number,
            payable=document.payable,
        )
        .exclude(pk=document.pk)
        .order_by("pk")
        .first()
    )


def move_document(document: Document, target: Dossier, actor) -> Document:
    """Move a received document that has not left yet to another dossier of the firm: someone decided it is that
    dossier's, so its buyer no longer holds it back; it is checked for copies in its new dossier like an import.

    Refused: sales documents, exported or locked ones, one already queued for export, the same dossier, an
    archived dossier, and a dossier that already holds the same file."""
    from exports.models import ExportItem

    if document.direction != Direction.PURCHASE:
        raise PortalError(_("Only received documents can be moved to another dossier."), code=ErrorCode.FORBIDDEN)
    _not_exported(document)
    if target.pk == document.dossier_id:
        raise PortalError(_("The document is already in this dossier."), field="dossier", code=ErrorCode.INVALID)
    if target.archived_at is not None or not Dossier.objects.not_archived().filter(pk=target.pk).exists():
        raise PortalError(_("An archived dossier receives no documents."), field="dossier", code=ErrorCode.INVALID)
    source = document.dossier
    with transaction.atomic():
        current = Document.objects.select_for_update().filter(pk=document.pk, dossier=source).first()
        if current is None:
            raise PortalError(_("The document was changed meanwhile; try again."), code=ErrorCode.CONFLICT)
        _not_exported(current)
        if ExportItem.objects.filter(document=current).exists():
            raise PortalError(
                _("This document is already on its way to the accountant's software."),
                code=ErrorCode.NOT_ALLOWED_IN_STATE,
            )
        if Document.objects.filter(dossier=target, ubl_sha256=current.ubl_sha256).exists():
            raise PortalError(
                _("%(dossier)s already holds this file.") % {"dossier": target.name},
                field="dossier",
                code=ErrorCode.DUPLICATE,
            )
        # Its probable copies left behind are now copies of the oldest of them (as when it is deleted).
        copies = sorted(Document.objects.filter(duplicate_of=current.pk).values_list("pk", flat=True))
        if copies:
            oldest, *others = copies
            Document.objects.filter(pk__in=others).update(duplicate_of=oldest)
            Document.objects.filter(pk=oldest).update(duplicate_of=None)
            settle(Document.objects.filter(pk=oldest))
        original = _same_invoice_in(target, current)
        Document.objects.filter(pk=current.pk).update(
            dossier=target,
            wrong_buyer=False,
            buyer_unidentified=False,
            duplicate_of=original,
            duplicate_confirmed=False,
        )
        settle(Document.objects.filter(pk=current.pk))
        audit(source, actor, "document_moved_out", number=current.number, to=target.name)
        audit(target, actor, "document_moved_in", number=current.number, source=source.name)
    document.refresh_from_db()
    return document


def export_anyway(document: Document, reason: str, actor) -> Document:
    """Let a received document held for rule findings leave anyway: the firm's decision, with its reason, kept on
    the document and in the dossier's history. The exported bytes stay the received ones.

    Refused: without a reason; sales documents; documents not held for the rules (or already released); and a
    file that fails the UBL schema, which Sage BOB cannot read (its embedded PDF can be booked instead)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise PortalError(_("Say why this document may leave anyway."), field="reason", code=ErrorCode.INCOMPLETE)
    if len(reason) > MAX_REASON:
        raise PortalError(
            _("Keep the reason under %(count)s characters.") % {"count": MAX_REASON},
            field="reason",
            code=ErrorCode.INVALID,
        )
    if document.direction != Direction.PURCHASE:
        raise PortalError(_("Only received documents can be exported anyway."), code=ErrorCode.FORBIDDEN)
    _not_exported(document)
    if document.findings.filter(layer="XSD").exists():
        raise PortalError(
            _(
                "This file does not pass the UBL schema: Sage BOB cannot read it. Book the PDF in it instead, or ask "
                "the supplier for a corrected file."
            ),
            code=ErrorCode.UNREADABLE,
        )
    with transaction.atomic():
        released = Document.objects.filter(
            pk=document.pk, is_valid=False, released_at__isnull=True, locked=False, direction=Direction.PURCHASE
        ).update(released_at=timezone.now(), released_by=recorded_user(actor), released_reason=reason)
        if not released:
            raise PortalError(
                _("This document is not held back for the rules (any more)."), code=ErrorCode.NOT_ALLOWED_IN_STATE
            )
        settle(Document.objects.filter(pk=document.pk))
        audit(document.dossier, actor, "document_exported_anyway", number=document.number, reason=reason)
    document.refresh_from_db()
    return document
