"""Rules about documents: importing received (purchase) UBL with its checks, confirming or deleting a held
document. Run in the current firm's schema."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from dossiers.services import audit
from portal.services import PortalError

from . import validation
from .models import Direction, Document, DocumentStatus, Finding
from .ubl_read import ReadDocument, UblError, read_ubl


@dataclass(frozen=True)
class ImportResult:
    outcome: str  # imported, duplicate, refused
    message: str
    document: Document | None = None


def _belongs_to(dossier: Dossier, document: ReadDocument) -> bool:
    buyer = document.buyer
    if buyer.enterprise_number:
        return buyer.enterprise_number == dossier.enterprise_number
    if buyer.vat_number:
        return buyer.vat_number == "BE" + dossier.enterprise_number
    return True  # nothing to compare with: not flagged


def _earlier(dossier: Dossier, read: ReadDocument, digest: str) -> tuple[Document | None, Document | None]:
    """(the same file imported before, a probable duplicate: same supplier, number and amount), one query."""
    supplier = read.supplier
    same_supplier = Q()
    if supplier.vat_number:
        same_supplier |= Q(counterparty_vat=supplier.vat_number)
    if supplier.enterprise_number:
        same_supplier |= Q(counterparty_number=supplier.enterprise_number)
    if not same_supplier:
        same_supplier = Q(counterparty_name__iexact=supplier.name)
    probable = same_supplier & Q(direction=Direction.PURCHASE, number=read.number, payable=read.payable)
    found = list(Document.objects.filter(Q(ubl_sha256=digest) | probable, dossier=dossier)
                 .only("pk", "number", "ubl_sha256").order_by("pk")[:20])
    same_file = next((document for document in found if document.ubl_sha256 == digest), None)
    return same_file, next((document for document in found if document.ubl_sha256 != digest), None)


def import_purchase(dossier: Dossier, data: bytes, filename: str, actor,
                    findings: list[validation.Finding] | None = None) -> ImportResult:
    """Store a received UBL exactly as received, with what was read from it and its validation findings.

    Refuses (nothing stored) what is not safe, well-formed UBL. The same file twice is recognised by its
    sha256. A probable duplicate (same supplier, number and amount) and a document addressed to another
    company are stored but held back until someone decides. `findings` may come from validating the same bytes
    elsewhere (bulk import); otherwise they are computed here.
    """
    try:
        read = read_ubl(data)
        if findings is None:
            findings = validation.validate(data)
    except UblError as error:
        return ImportResult("refused", str(error))
    digest = hashlib.sha256(data).hexdigest()
    existing, duplicate_of = _earlier(dossier, read, digest)
    if existing is not None:
        return ImportResult("duplicate", _("This file was already imported as %(number)s.")
                            % {"number": existing.number}, existing)
    wrong_buyer = not _belongs_to(dossier, read)
    valid = validation.is_deliverable(findings)
    path = f"documents/{connection.schema_name}/{dossier.pk}/{digest}.xml"
    stored = default_storage.save(path, ContentFile(data)) if not default_storage.exists(path) else path
    try:
        with transaction.atomic():
            document = Document.objects.create(
                dossier=dossier,
                direction=Direction.PURCHASE,
                is_credit_note=read.is_credit_note,
                number=read.number[:100],
                issue_date=read.issue_date,
                due_date=read.due_date,
                currency=read.currency[:3] or "EUR",
                counterparty_name=read.supplier.name[:200],
                counterparty_vat=read.supplier.vat_number[:20],
                counterparty_number=read.supplier.enterprise_number[:10],
                tax_exclusive=read.tax_exclusive,
                tax_total=read.tax_total,
                payable=read.payable,
                status=DocumentStatus.FINAL if valid and not duplicate_of and not wrong_buyer
                else DocumentStatus.NEEDS_ATTENTION,
                is_valid=valid,
                duplicate_of=duplicate_of,
                wrong_buyer=wrong_buyer,
                ubl=stored,
                ubl_sha256=digest,
                ubl_size=len(data),
                original_name=filename[:255],
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
            Finding.objects.bulk_create([Finding(document=document, layer=f.layer, rule=f.rule[:60], flag=f.flag,
                                                 message=f.message, location=f.location) for f in findings])
            audit(dossier, actor, "document_imported", number=document.number)
    except IntegrityError:
        # Another upload of the same file won the race; the file on storage is the same bytes.
        existing = Document.objects.get(dossier=dossier, ubl_sha256=digest)
        return ImportResult("duplicate", _("This file was already imported as %(number)s.")
                            % {"number": existing.number}, existing)
    if duplicate_of is not None:
        return ImportResult("imported", _("Imported, but held back: probably a duplicate of %(number)s.")
                            % {"number": duplicate_of.number}, document)
    if wrong_buyer:
        return ImportResult("imported", _("Imported, but held back: addressed to another company."), document)
    if not valid:
        return ImportResult("imported", _("Imported, but held back: it fails the Peppol rules."), document)
    return ImportResult("imported", _("Imported."), document)


def confirm_not_duplicate(document: Document, actor) -> None:
    """Someone checked: not a duplicate (or the right dossier after all). It may leave if it is valid."""
    changed = (Document.objects.filter(pk=document.pk, locked=False).exclude(status=DocumentStatus.EXPORTED)
               .update(duplicate_confirmed=True, wrong_buyer=False,
                       status=DocumentStatus.FINAL if document.is_valid else DocumentStatus.NEEDS_ATTENTION))
    if not changed:
        raise PortalError(_("This document is locked: it was exported. Correct it with a credit note."))
    document.refresh_from_db()
    audit(document.dossier, actor, "document_confirmed", number=document.number)


def delete_document(document: Document, actor) -> None:
    """Delete a document that is not locked by an export; locked ones are corrected with a credit note.
    Sales documents keep their number once final (gap-free numbering), so only drafts of sales go."""
    deletable = Document.objects.filter(pk=document.pk, locked=False).exclude(
        direction=Direction.SALES, status__in=[DocumentStatus.FINAL, DocumentStatus.EXPORTED])
    if not deletable.delete()[0]:
        if document.direction == Direction.SALES and not document.locked:
            raise PortalError(_("A final sales document keeps its number; correct it with a credit note."))
        raise PortalError(_("This document is locked: it was exported. Correct it with a credit note."))
    if document.ubl.name and not Document.objects.filter(ubl=document.ubl.name).exists():
        default_storage.delete(document.ubl.name)
    audit(document.dossier, actor, "document_deleted", number=document.number)
