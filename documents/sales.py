"""Sales invoices and credit notes: drafts are edited freely; finalising gives the next gap-free number of
the dossier and year, renders the PDF, writes the UBL with the PDF embedded, validates it and stores both
with their sha256. A final document's bytes never change."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError
from dossiers.models import Contact, Dossier
from dossiers.services import audit
from firms.models import recorded_user
from firms.tenancy import current_schema

from . import validation
from .models import Direction, Document, DocumentAllowanceCharge, DocumentLine, DocumentStatus, Finding, NumberSequence
from .money import AllowanceCharge, Line, compute_totals, structured_communication
from .pdf import render_pdf
from .ubl import DocumentLine as UblLine
from .ubl import MissingEndpoint, Party, UblDocument, write_ubl

DEFAULT_PAYMENT_TERM = timedelta(days=30)


@dataclass(frozen=True)
class DraftLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = Decimal("21")
    vat_category: str = "S"
    discount_percent: Decimal = Decimal("0")
    unit: str = "C62"


def save_draft(
    dossier: Dossier,
    customer: Contact,
    lines: list[DraftLine],
    *,
    actor,
    document: Document | None = None,
    is_credit_note: bool = False,
    corrects: Document | None = None,
    allowances_charges: Sequence[AllowanceCharge] = (),
    **fields,
) -> Document:
    """Create or replace a draft with its lines and document-level allowances and charges. Refuses to touch a
    final document, and allowances larger than the lines of their VAT rate."""
    if not lines:
        raise PortalError(_("A document needs at least one line."), code=ErrorCode.INCOMPLETE)
    money = [
        Line(item.quantity, item.unit_price, item.vat_category, item.vat_rate, item.discount_percent) for item in lines
    ]
    totals = compute_totals(money, allowances_charges)
    below_zero = [subtotal for subtotal in totals.vat if subtotal.taxable < 0]
    if allowances_charges and below_zero:
        raise PortalError(
            _(
                "The allowances at %(rate)s%% are larger than the lines at that rate: an allowance "
                "reduces lines of its own VAT rate."
            )
            % {"rate": f"{below_zero[0].rate.normalize():f}"},
            code=ErrorCode.INVALID,
        )
    with transaction.atomic():
        if document is None:
            document = Document(
                dossier=dossier,
                direction=Direction.SALES,
                status=DocumentStatus.DRAFT,
                created_by=recorded_user(actor),
            )
        elif Document.objects.select_for_update().get(pk=document.pk).status != DocumentStatus.DRAFT:
            raise PortalError(
                _("A final document cannot be changed; correct it with a credit note."),
                code=ErrorCode.NOT_ALLOWED_IN_STATE,
            )
        document.is_credit_note = is_credit_note
        document.corrects = corrects
        document.customer = customer
        document.counterparty_name = customer.name
        document.counterparty_vat = customer.vat_number
        document.counterparty_number = customer.enterprise_number
        document.tax_exclusive, document.tax_total, document.payable = (
            totals.tax_exclusive,
            totals.tax_total,
            totals.payable,
        )
        for name, value in fields.items():
            setattr(document, name, value)
        document.save()
        document.lines.all().delete()
        DocumentLine.objects.bulk_create(
            [
                DocumentLine(
                    document=document,
                    position=index,
                    description=item.description,
                    quantity=item.quantity,
                    unit=item.unit,
                    unit_price=item.unit_price,
                    discount_percent=item.discount_percent,
                    vat_rate=item.vat_rate,
                    vat_category=item.vat_category,
                )
                for index, item in enumerate(lines, start=1)
            ]
        )
        document.allowances_charges.all().delete()
        DocumentAllowanceCharge.objects.bulk_create(
            [
                DocumentAllowanceCharge(
                    document=document,
                    position=index,
                    is_charge=item.is_charge,
                    reason=item.reason,
                    amount=item.amount,
                    vat_rate=item.vat_rate,
                    vat_category=item.vat_category,
                )
                for index, item in enumerate(allowances_charges, start=1)
            ]
        )
    return document


def allowances_charges_of(document: Document) -> list[AllowanceCharge]:
    return [
        AllowanceCharge(item.amount, item.is_charge, item.reason, item.vat_category, item.vat_rate)
        for item in document.allowances_charges.all()
    ]


def dossier_party(dossier: Dossier, *, with_email: bool = True) -> Party:
    """The dossier's company as a UBL party: the seller of its sales (with its email), the buyer of what quick
    entry writes (without)."""
    return Party(
        dossier.name,
        dossier.country,
        dossier.enterprise_number,
        "BE" + dossier.enterprise_number,
        dossier.street,
        dossier.city,
        dossier.postal_code,
        dossier.email if with_email else "",
    )


def _buyer(contact: Contact) -> Party:
    return Party(
        contact.name,
        contact.country,
        contact.enterprise_number,
        contact.vat_number,
        contact.street,
        contact.city,
        contact.postal_code,
        contact.email,
    )


def _next_number(dossier: Dossier, year: int, is_credit_note: bool) -> int:
    NumberSequence.objects.get_or_create(dossier=dossier, year=year, is_credit_note=is_credit_note)
    sequence = NumberSequence.objects.select_for_update().get(dossier=dossier, year=year, is_credit_note=is_credit_note)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def finalise(document: Document, actor) -> Document:
    """Number, render, write, validate and store a draft, all or nothing: a document that would fail the
    Peppol rules is refused with the rules it breaks, and its number is not used."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("dossier", "customer", "corrects")
            .get(pk=document.pk)
        )
        if document.status != DocumentStatus.DRAFT:
            raise PortalError(_("This document is already final."), code=ErrorCode.NOT_ALLOWED_IN_STATE)
        dossier = document.dossier
        issue_date = document.issue_date or timezone.localdate()
        if not document.is_credit_note and not document.due_date and not document.payment_terms:
            document.due_date = issue_date + DEFAULT_PAYMENT_TERM  # BR-CO-25 wants a due date or terms
        sequence = _next_number(dossier, issue_date.year, document.is_credit_note)
        number = f"{'C' if document.is_credit_note else ''}{issue_date.year}-{sequence:05d}"
        # Year, kind and number: unique among the seller's own documents, which is where payments arrive.
        reference = document.payment_reference or structured_communication(
            int(f"{issue_date.year % 100:02d}{int(document.is_credit_note)}{sequence:07d}")
        )
        lines = [
            UblLine(
                line.description,
                Line(line.quantity, line.unit_price, line.vat_category, line.vat_rate, line.discount_percent),
                line.unit,
            )
            for line in document.lines.all()
        ]
        customer = document.customer
        if customer is None:  # the contact was deleted after the draft was saved
            raise PortalError(_("Choose the customer of this document again."), "customer", code=ErrorCode.INCOMPLETE)
        data = UblDocument(
            is_credit_note=document.is_credit_note,
            number=number,
            issue_date=issue_date,
            seller=dossier_party(dossier),
            buyer=_buyer(customer),
            lines=lines,
            currency=document.currency,
            due_date=document.due_date,
            buyer_reference=document.buyer_reference,
            order_reference=document.order_reference,
            note=document.note,
            payment_iban=document.payment_iban,
            payment_reference=reference if document.payment_iban else "",
            payment_terms=document.payment_terms,
            corrected_invoice=document.corrects.number if document.corrects else "",
            allowances_charges=allowances_charges_of(document),
        )
        try:
            data.pdf = render_pdf(data, document.language)
            data.pdf_name = f"{number}.pdf"
            xml = write_ubl(data)
        except MissingEndpoint:
            raise PortalError(
                _("%(name)s has no enterprise number or VAT number: Peppol needs one to address the invoice.")
                % {"name": customer.name},
                code=ErrorCode.INCOMPLETE,
            ) from None
        findings = validation.validate(xml)
        validation.require_deliverable(findings)
        digest = hashlib.sha256(xml).hexdigest()
        folder = f"documents/{current_schema()}/{dossier.pk}"
        document.ubl = default_storage.save(f"{folder}/{digest}.xml", ContentFile(xml))
        document.pdf = default_storage.save(f"{folder}/{digest}.pdf", ContentFile(data.pdf))
        document.ubl_sha256, document.ubl_size = digest, len(xml)
        document.pdf_sha256 = hashlib.sha256(data.pdf).hexdigest()
        document.number, document.issue_date, document.payment_reference = number, issue_date, reference
        document.status, document.is_valid = DocumentStatus.FINAL, True
        document.save()
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
                for f in findings
            ]
        )
        audit(dossier, actor, "document_finalised", number=number)
    return document
