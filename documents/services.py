"""Rules about documents: importing received (purchase) UBL with its checks, confirming or deleting a held
document. Run in the current firm's schema."""

import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, transaction
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError
from dossiers.models import AuditEntry, Dossier
from dossiers.services import audit, audit_entry
from firms.models import recorded_user
from firms.tenancy import current_schema

from . import validation
from .buyers import Buyer, whose
from .models import CLEAR, Direction, Document, DocumentStatus, Finding
from .ubl_read import ReadDocument, UblError, parse, read_ubl


@dataclass(frozen=True)
class ImportResult:
    outcome: str  # imported, duplicate, refused
    message: str
    document: Document | None = None


@dataclass(frozen=True)
class Received:
    """A received file to import. `findings` may come from validating the same bytes elsewhere (the bulk
    import's worker processes); otherwise they are computed on import."""

    name: str
    data: bytes
    findings: list[validation.Finding] | None = None


@dataclass
class _Candidate:
    """A received file that is safe, well-formed UBL, with what was read from it and its findings."""

    index: int
    received: Received
    read: ReadDocument
    findings: list[validation.Finding]
    digest: str

    @cached_property
    def fields(self) -> dict:
        """What is stored from the file's header (cut to the columns' lengths)."""
        read = self.read
        return {
            "number": read.number[:100],
            "counterparty_name": read.supplier.name[:200],
            "counterparty_vat": read.supplier.vat_number[:20],
            "counterparty_number": read.supplier.enterprise_number[:10],
            "payable": read.payable,
        }

    def same_invoice(self, document: Document) -> bool:
        """A probable duplicate: a purchase document of the same kind (invoice or credit note: suppliers number
        them apart) with the same supplier, number and amount."""
        mine = self.fields
        if mine["counterparty_vat"] or mine["counterparty_number"]:
            same_supplier = any(
                mine[key] and getattr(document, key) == mine[key] for key in ("counterparty_vat", "counterparty_number")
            )
        else:
            same_supplier = document.counterparty_name.casefold() == mine["counterparty_name"].casefold()
        return (
            same_supplier
            and document.direction == Direction.PURCHASE
            and document.is_credit_note == self.read.is_credit_note
            and document.number == mine["number"]
            and document.payable == mine["payable"]
        )


def _earlier(dossier: Dossier, candidates: list[_Candidate]) -> list[Document]:
    """The dossier's documents that may be the same file or the same invoice as one of the candidates, oldest
    first: one query for any number of files."""
    if not candidates:
        return []
    may_match = Q(ubl_sha256__in={c.digest for c in candidates}) | Q(
        direction=Direction.PURCHASE, number__in={c.fields["number"] for c in candidates}
    )
    return list(
        Document.objects.filter(may_match, dossier=dossier)
        .order_by("pk")
        .only(
            "pk",
            "direction",
            "is_credit_note",
            "number",
            "payable",
            "counterparty_name",
            "counterparty_vat",
            "counterparty_number",
            "ubl_sha256",
        )
    )


def import_purchase(
    dossier: Dossier, data: bytes, filename: str, actor, findings: list[validation.Finding] | None = None
) -> ImportResult:
    """Store a received UBL exactly as received, with what was read from it and its validation findings.

    Refuses (nothing stored) what is not safe, well-formed UBL. The same file twice is recognised by its
    sha256. A probable duplicate (same supplier, kind, number and amount) and a document addressed to another
    company are stored but held back until someone decides.
    """
    return import_purchases(dossier, [Received(filename, data, findings)], actor)[0]


def import_purchases(dossier: Dossier, files: list[Received], actor) -> list[ImportResult]:
    """Import several received files with the outcome of importing them one by one in this order (a file is
    a duplicate of an earlier one in the same list just as of one imported before), in a few queries for all
    of them: one read of what may match, then the documents, findings and audit entries inserted together."""
    results: list[ImportResult | None] = [None] * len(files)
    candidates = []
    for index, received in enumerate(files):
        try:
            root = parse(received.data)  # once, for reading and for the rules
            read = read_ubl(root)
            findings = received.findings if received.findings is not None else validation.validate(root)
        except UblError as error:
            results[index] = ImportResult("refused", str(error))
            continue
        candidates.append(_Candidate(index, received, read, findings, hashlib.sha256(received.data).hexdigest()))
    known = _earlier(dossier, candidates)
    created: list[tuple[_Candidate, Document]] = []
    for candidate in candidates:
        existing = next((document for document in known if document.ubl_sha256 == candidate.digest), None)
        if existing is not None:
            results[candidate.index] = _already(existing)
            continue
        document = _purchase_document(dossier, candidate, next(filter(candidate.same_invoice, known), None), actor)
        known.append(document)
        created.append((candidate, document))
    try:
        _insert(dossier, created, actor)
    except (IntegrityError, DataError) as error:
        if len(files) > 1:  # one of these was imported meanwhile, or cannot be stored: find out which, one by one
            return [import_purchase(dossier, file.data, file.name, actor, findings=file.findings) for file in files]
        if isinstance(error, DataError):
            return [ImportResult("refused", _("This file holds a value the portal cannot store."))]
        # Another upload of the same file won the race; the file on storage is the same bytes.
        return [_already(Document.objects.get(dossier=dossier, ubl_sha256=candidates[0].digest))]
    for candidate, document in created:
        results[candidate.index] = _imported(document)
    return [result for result in results if result is not None]  # every file has its result by now


def _purchase_document(dossier: Dossier, candidate: _Candidate, duplicate_of: Document | None, actor) -> Document:
    """The document for a received file, not saved yet; its bytes are stored (under their sha256)."""
    read, data = candidate.read, candidate.received.data
    buyer = whose(dossier.name, dossier.enterprise_number, read.buyer)
    wrong_buyer, unidentified = buyer == Buyer.OTHER, buyer == Buyer.UNIDENTIFIED
    valid = validation.is_deliverable(candidate.findings)
    path = f"documents/{current_schema()}/{dossier.pk}/{candidate.digest}.xml"
    stored = default_storage.save(path, ContentFile(data)) if not default_storage.exists(path) else path
    return Document(
        dossier=dossier,
        direction=Direction.PURCHASE,
        is_credit_note=read.is_credit_note,
        issue_date=read.issue_date,
        due_date=read.due_date,
        currency=read.currency[:3] or "EUR",
        tax_exclusive=read.tax_exclusive,
        tax_total=read.tax_total,
        status=Document.settled_status(
            is_valid=valid,
            wrong_buyer=wrong_buyer,
            buyer_unidentified=unidentified,
            probable_duplicate=duplicate_of is not None,
        ),
        is_valid=valid,
        duplicate_of=duplicate_of,
        wrong_buyer=wrong_buyer,
        buyer_unidentified=unidentified,
        buyer_name=read.buyer.name[:200],
        buyer_address=read.buyer.address[:300],
        buyer_number=read.buyer.enterprise_number[:10],
        ubl=stored,
        ubl_sha256=candidate.digest,
        ubl_size=len(data),
        original_name=candidate.received.name[:255],
        created_by=recorded_user(actor),
        **candidate.fields,
    )


def _insert(dossier: Dossier, created: list[tuple[_Candidate, Document]], actor) -> None:
    """Save the new documents with their findings and audit entries, all or none."""
    if not created:
        return
    documents = [document for _candidate, document in created]
    # A probable duplicate of a document in the same batch points at it once that one has its key.
    later = [
        (document, document.duplicate_of)
        for document in documents
        if document.duplicate_of is not None and document.duplicate_of.pk is None
    ]
    for document, _original in later:
        document.duplicate_of = None
    with transaction.atomic():
        Document.objects.bulk_create(documents)
        for document, original in later:
            document.duplicate_of = original
        if later:
            Document.objects.bulk_update([document for document, _original in later], ["duplicate_of"])
        Finding.objects.bulk_create(
            [
                Finding(
                    document=document,
                    layer=f.layer,
                    rule=f.rule[:60],
                    flag=f.flag,
                    message=f.message,
                    location=f.location,
                )
                for candidate, document in created
                for f in candidate.findings
            ]
        )
        AuditEntry.objects.bulk_create(
            [audit_entry(dossier, actor, "document_imported", number=document.number) for document in documents]
        )


def _already(existing: Document) -> ImportResult:
    return ImportResult(
        "duplicate", _("This file was already imported as %(number)s.") % {"number": existing.number}, existing
    )


def _imported(document: Document) -> ImportResult:
    if document.duplicate_of is not None:
        return ImportResult(
            "imported",
            _("Imported, but held back: probably a duplicate of %(number)s.")
            % {"number": document.duplicate_of.number},
            document,
        )
    if document.wrong_buyer:
        return ImportResult("imported", _("Imported, but held back: addressed to another company."), document)
    if document.buyer_unidentified:
        return ImportResult(
            "imported",
            _("Imported, but held back: buyer not identified (%(buyer)s).")
            % {"buyer": document.buyer_name or _("no name")},
            document,
        )
    if not document.is_valid:
        return ImportResult("imported", _("Imported, but held back: it fails the Peppol rules."), document)
    return ImportResult("imported", _("Imported."), document)


def confirm_not_duplicate(document: Document, actor) -> None:
    """Someone checked: not a duplicate (or the right dossier after all). It may leave if it is valid."""
    keepable = Document.objects.filter(pk=document.pk, locked=False).exclude(status=DocumentStatus.EXPORTED)
    with transaction.atomic():
        if not keepable.update(duplicate_confirmed=True, wrong_buyer=False, buyer_unidentified=False):
            raise PortalError(
                _("This document is locked: it was exported. Correct it with a credit note."), code=ErrorCode.LOCKED
            )
        settle(keepable)
    document.refresh_from_db()
    audit(document.dossier, actor, "document_confirmed", number=document.number)


def delete_document(document: Document, actor) -> None:
    """Delete a document that is not locked by an export; locked ones are corrected with a credit note.
    Sales documents keep their number once final (gap-free numbering), so only drafts of sales go."""
    deletable = Document.objects.filter(pk=document.pk, locked=False).exclude(
        direction=Direction.SALES, status__in=[DocumentStatus.FINAL, DocumentStatus.EXPORTED]
    )
    with transaction.atomic():
        copies = list(Document.objects.filter(duplicate_of=document.pk).values_list("pk", flat=True))
        if not deletable.delete()[0]:
            if document.direction == Direction.SALES and not document.locked:
                raise PortalError(
                    _("A final sales document keeps its number; correct it with a credit note."),
                    code=ErrorCode.NOT_ALLOWED_IN_STATE,
                )
            raise PortalError(
                _("This document is locked: it was exported. Correct it with a credit note."), code=ErrorCode.LOCKED
            )
        # Its probable copies are now copies of the oldest of them, which no longer copies anything.
        if copies:
            oldest, *others = sorted(copies)
            Document.objects.filter(pk__in=others).update(duplicate_of=oldest)
            settle(Document.objects.filter(pk=oldest))
        audit(document.dossier, actor, "document_deleted", number=document.number)
    if document.ubl.name and not Document.objects.filter(ubl=document.ubl.name).exists():
        default_storage.delete(document.ubl.name)


def settle(documents) -> None:
    """Final or needs attention, from what holds a (final, not exported) document back."""
    documents.filter(status__in=[DocumentStatus.FINAL, DocumentStatus.NEEDS_ATTENTION]).update(
        status=Case(When(CLEAR, then=Value(DocumentStatus.FINAL)), default=Value(DocumentStatus.NEEDS_ATTENTION))
    )
