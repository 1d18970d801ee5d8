"""Quick entry ("snelle invoer"): PDFs and images wait in a dossier's inbox until someone enters supplier,
number, dates and the amounts per VAT rate; the item then becomes a purchase document whose UBL embeds the
file, imported through the same path as a received UBL (validation, duplicates, held documents)."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ErrorCode, PortalError
from dossiers.models import Dossier
from firms.models import recorded_user
from firms.tenancy import current_schema

from . import validation
from .attachments import EXTENSIONS, sniff
from .models import InboxItem
from .money import Line, round2
from .sales import dossier_party
from .services import ImportResult, import_purchase
from .ubl import DocumentLine, MissingEndpoint, Party, UblDocument, write_ubl

# A scan becomes a UBL with the scan inside, in base64 (a third larger), and a UBL may be 20 MB.
MAX_BYTES = 14 * 1024 * 1024
# What Peppol's national rules ask of a supplier's country that an entry can give (Dutch suppliers).
ASKED_BY_NATIONAL_RULES = {
    "NL-R-002": gettext_lazy("For a supplier in the Netherlands, Peppol asks for their street, postal code and city."),
    "NL-R-007": gettext_lazy("For an invoice from the Netherlands, Peppol asks for the supplier's IBAN."),
    "NL-R-001": gettext_lazy("For a credit note from the Netherlands, Peppol asks for the invoice it corrects."),
}
# VAT numbers start with the ISO country code, except Greece's (EL) and Northern Ireland's (XI).
VAT_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}
# Where the VAT number holds the company register number Peppol knows the supplier by: (scheme, digits kept).
REGISTER_IN_VAT = {"DK": ("0184", 8), "NO": ("0192", 9)}


def add_to_inbox(dossier: Dossier, data: bytes, filename: str, actor) -> InboxItem:
    """Keep an uploaded PDF or image in the dossier's inbox. Refuses other files, oversized ones, and the same
    file twice."""
    if len(data) > MAX_BYTES:
        raise PortalError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}, code=ErrorCode.TOO_LARGE
        )
    mime = sniff(data)
    if mime is None:
        raise PortalError(_("%(name)s is not a PDF, PNG or JPEG file.") % {"name": filename}, code=ErrorCode.UNREADABLE)
    digest = hashlib.sha256(data).hexdigest()
    if InboxItem.objects.filter(dossier=dossier, sha256=digest).exists():
        raise PortalError(_("%(name)s is already in the inbox.") % {"name": filename}, code=ErrorCode.DUPLICATE)
    extension = EXTENSIONS[mime]
    path = default_storage.save(f"inbox/{current_schema()}/{dossier.pk}/{digest}.{extension}", ContentFile(data))
    try:
        return InboxItem.objects.create(
            dossier=dossier,
            file=path,
            content_type=mime,
            sha256=digest,
            size=len(data),
            original_name=filename[:255],
            uploaded_by=recorded_user(actor),
        )
    except IntegrityError:
        raise PortalError(
            _("%(name)s is already in the inbox.") % {"name": filename}, code=ErrorCode.DUPLICATE
        ) from None


@dataclass(frozen=True)
class QuickEntry:
    supplier_name: str
    supplier_vat: str  # with country prefix
    number: str
    issue_date: date
    due_date: date | None
    taxable_by_rate: dict[Decimal, Decimal]  # VAT rate → amount excluding VAT
    is_credit_note: bool = False
    vat_by_rate: dict[Decimal, Decimal | None] = field(default_factory=dict)  # rate → VAT as the invoice states it
    supplier_street: str = ""
    supplier_postal_code: str = ""
    supplier_city: str = ""
    supplier_iban: str = ""
    corrects: str = ""  # credit notes: the number of the invoice they correct


def process(item: InboxItem, entry: QuickEntry, actor) -> ImportResult:
    """Turn an inbox item into a purchase document. The VAT per rate is the one entered, as on the invoice;
    where none is entered it is computed from the amount. An entered VAT may differ from the computed one by
    the cents a supplier's rounding per line gives, not by a euro (EN 16931, BR-S-09)."""
    if item.document_id is not None:
        raise PortalError(_("This item was already entered."), code=ErrorCode.DUPLICATE)
    dossier = item.dossier
    amounts = {rate: amount for rate, amount in entry.taxable_by_rate.items() if amount}
    if not amounts:
        raise PortalError(_("Enter at least one amount."), code=ErrorCode.INCOMPLETE)
    stated = _stated_vat(entry.vat_by_rate, amounts)
    with item.file.open("rb") as stored:
        attachment = stored.read()
    document = UblDocument(
        is_credit_note=entry.is_credit_note,
        number=entry.number,
        issue_date=entry.issue_date,
        due_date=entry.due_date,
        seller=_supplier(entry),
        payment_iban=entry.supplier_iban,
        corrected_invoice=entry.corrects,
        buyer=dossier_party(dossier, with_email=False),
        lines=_lines(amounts),
        payment_terms="" if entry.due_date else _("See the attached document"),
        pdf=attachment,
        pdf_name=item.original_name,
        attachment_mime=item.content_type,
        stated_vat=stated,
    )
    xml = _write(document, entry.supplier_vat[:2])
    findings = validation.validate(xml)
    _require_national_rules(findings)
    validation.require_deliverable(findings)  # e.g. Peppol's Greek rules, which ask for what a scan does not give
    with transaction.atomic():
        result = import_purchase(dossier, xml, f"{entry.number}.xml", actor, findings=findings)
        if result.outcome == "refused":
            raise PortalError(result.message, code=ErrorCode.INVALID)
        InboxItem.objects.filter(pk=item.pk).update(document=result.document)
    return result


def _lines(amounts: dict[Decimal, Decimal]) -> list[DocumentLine]:
    """One line per VAT rate, highest rate first."""
    return [
        DocumentLine(
            _("Purchase as per the attached document (%(rate)s%% VAT)") % {"rate": f"{rate.normalize():f}"},
            Line(Decimal("1"), amount, "S" if rate else "Z", rate),
        )
        for rate, amount in sorted(amounts.items(), reverse=True)
    ]


def _stated_vat(
    vat_by_rate: dict[Decimal, Decimal | None], amounts: dict[Decimal, Decimal]
) -> dict[tuple[str, Decimal], Decimal]:
    """The VAT entered per rate, keyed as compute_totals takes it. Refuses VAT at a rate without an amount,
    and VAT a euro or more away from the amount times the rate."""
    stated: dict[tuple[str, Decimal], Decimal] = {}
    for rate, vat in vat_by_rate.items():
        if vat is not None and rate not in amounts:
            raise PortalError(
                _("VAT at %(rate)s%% is entered, but no amount at that rate.") % {"rate": f"{rate.normalize():f}"},
                code=ErrorCode.INVALID,
            )
        if vat is None:
            continue
        computed = round2(amounts[rate] * rate / 100)
        if abs(vat - computed) >= 1:
            raise PortalError(
                _("The VAT at %(rate)s%% on %(amount)s is %(computed)s: %(vat)s is too far from it. Check the amounts.")
                % {
                    "rate": f"{rate.normalize():f}",
                    **{
                        name: number_format(value, 2, use_l10n=True)
                        for name, value in (("amount", amounts[rate]), ("computed", computed), ("vat", vat))
                    },
                },
                code=ErrorCode.INVALID,
            )
        stated[("S", rate)] = vat
    return stated


def _supplier(entry: QuickEntry) -> Party:
    """The supplier as Peppol knows it: country from the VAT prefix, and for Denmark and Norway the company
    register number the VAT number holds."""
    prefix = entry.supplier_vat[:2]
    register = None
    if prefix in REGISTER_IN_VAT:
        scheme, length = REGISTER_IN_VAT[prefix]
        register = (scheme, "".join(ch for ch in entry.supplier_vat if ch.isdigit())[:length])
    return Party(
        entry.supplier_name,
        VAT_PREFIX_COUNTRY.get(prefix, prefix),
        entry.supplier_vat[2:] if entry.supplier_vat.startswith("BE") else "",
        entry.supplier_vat,
        entry.supplier_street,
        entry.supplier_city,
        entry.supplier_postal_code,
        legal_id=register,
    )


def _write(document: UblDocument, prefix: str) -> bytes:
    try:
        return write_ubl(document)
    except MissingEndpoint:
        raise PortalError(
            _(
                "Peppol has no electronic address for a VAT number starting with %(prefix)s. Enter "
                "the supplier's Belgian or EU VAT number if it has one."
            )
            % {"prefix": prefix},
            code=ErrorCode.INVALID,
        ) from None


def _require_national_rules(findings: list[validation.Finding]) -> None:
    """Refuses, with what to add, an entry that fails a national rule an entry can satisfy."""
    missing = [
        str(message)
        for rule, message in ASKED_BY_NATIONAL_RULES.items()
        if any(f.rule == rule and f.is_fatal for f in findings)
    ]
    if missing:
        raise PortalError(" ".join(missing), code=ErrorCode.INCOMPLETE)
