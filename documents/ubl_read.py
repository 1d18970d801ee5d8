"""Reading received UBL (Invoice or CreditNote, Peppol BIS 3.0 or the older Belgian e-FFF) safely. Pure:
bytes in, header fields out; the bytes themselves are never changed (they are what gets delivered).

Refused, before any field is read: files over MAX_BYTES, anything with a DOCTYPE (no DTDs, so no entity
expansion and no external entities), malformed XML, and XML whose root is not a UBL Invoice or CreditNote.
The parser resolves no entities and never touches the network.
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from lxml import etree

from .attachments import EXTENSIONS, sniff

MAX_BYTES = 20 * 1024 * 1024
ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": False,
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": True,
}
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


class UblError(Exception):
    """The file is refused; nothing is stored. The message is for the user."""


@dataclass(frozen=True)
class ReadParty:
    name: str = ""
    vat_number: str = ""
    enterprise_number: str = ""
    endpoint: str = ""  # "scheme:identifier"
    address: str = ""  # one line: street, postal code and city, country


@dataclass(frozen=True)
class ReadVat:
    category: str
    rate: Decimal | None
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class ReadDocument:
    is_credit_note: bool
    number: str
    issue_date: date | None
    due_date: date | None
    currency: str
    customization: str
    supplier: ReadParty
    buyer: ReadParty
    tax_exclusive: Decimal
    tax_total: Decimal
    tax_inclusive: Decimal
    payable: Decimal
    vat: list[ReadVat] = field(default_factory=list)
    has_pdf: bool = False


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=False,
    )


def parse(data: bytes) -> etree._Element:
    """The root element of safe, well-formed XML; refuses the rest with a UblError."""
    if len(data) > MAX_BYTES:
        raise UblError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        raise UblError(_("This is not an XML file."))
    try:
        tree = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise UblError(_("The XML is malformed: %(error)s") % {"error": error.msg}) from None
    docinfo = tree.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        # Entities and DTDs have no place in an invoice: billion laughs, XXE.
        raise UblError(_("XML with a document type declaration (DOCTYPE) is refused."))
    _check_shape(tree)
    return tree


# A UBL invoice is a dozen levels deep; a 10,000-line one has some 300,000 elements. Anything beyond is not an
# invoice, and would keep the rules engine busy for minutes.
MAX_DEPTH = 32
MAX_ELEMENTS = 600_000


def _check_shape(tree: etree._Element) -> None:
    depth = count = 0
    for event, _element in etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        count += 1
        if depth > MAX_DEPTH:
            raise UblError(
                _("The XML is nested more than %(depth)s levels deep: this is not an invoice.") % {"depth": MAX_DEPTH}
            )
        if count > MAX_ELEMENTS:
            raise UblError(
                _("The XML has more than %(count)s elements: this is not an invoice.")
                % {"count": number_format(MAX_ELEMENTS, force_grouping=True)}
            )


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


# Amounts are kept with 14 digits, 2 after the point: anything from a trillion up is not an invoice's.
AMOUNT_LIMIT = Decimal(10) ** 12


def _decimal(text: str, path: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise UblError(_("“%(value)s” in %(path)s is not a number.") % {"value": text[:40], "path": path})
    if abs(value) >= AMOUNT_LIMIT:
        raise UblError(_("%(value)s in %(path)s is too large for an invoice.") % {"value": text[:40], "path": path})
    return value


def _amount(node: etree._Element, path: str) -> Decimal:
    text = _text(node, path)
    return _decimal(text, path) if text else Decimal("0")


def _date(node: etree._Element, path: str) -> date | None:
    text = _text(node, path)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise UblError(_("“%(value)s” in %(path)s is not a date.") % {"value": text, "path": path}) from None


def _party(node: etree._Element | None) -> ReadParty:
    if node is None:
        return ReadParty()
    endpoint = node.find("cbc:EndpointID", NS)
    vat = ""
    for scheme in node.findall("cac:PartyTaxScheme", NS):
        if _text(scheme, "cac:TaxScheme/cbc:ID").upper() == "VAT":
            vat = _text(scheme, "cbc:CompanyID").replace(" ", "").replace(".", "").upper()
    number = ""
    for candidate in (node.find("cac:PartyLegalEntity/cbc:CompanyID", NS), endpoint):
        if candidate is not None and candidate.get("schemeID") == "0208":
            number = "".join(ch for ch in candidate.text or "" if ch.isdigit())
            break
    if not number and vat.startswith("BE"):
        number = vat[2:]
    name = _text(node, "cac:PartyLegalEntity/cbc:RegistrationName") or _text(node, "cac:PartyName/cbc:Name")
    return ReadParty(
        name=name,
        address=_address(node.find("cac:PostalAddress", NS)),
        vat_number=vat,
        enterprise_number=number,
        endpoint=f"{endpoint.get('schemeID', '')}:{(endpoint.text or '').strip()}" if endpoint is not None else "",
    )


def _address(node: etree._Element | None) -> str:
    if node is None:
        return ""
    street = " ".join(filter(None, (_text(node, "cbc:StreetName"), _text(node, "cbc:AdditionalStreetName"))))
    town = " ".join(filter(None, (_text(node, "cbc:PostalZone"), _text(node, "cbc:CityName"))))
    country = _text(node, "cac:Country/cbc:IdentificationCode")
    return ", ".join(filter(None, (street, town, country)))


def parsed(source: bytes | etree._Element) -> etree._Element:
    """The root element of `source`: bytes are parsed (and checked) here, a root parsed before is taken as is."""
    return source if isinstance(source, etree._Element) else parse(source)


def read_ubl(source: bytes | etree._Element) -> ReadDocument:
    """The header fields of a UBL invoice or credit note (bytes, or their root from `parse`), for lists,
    totals and duplicate checks."""
    root = parsed(source)
    if root.tag not in ROOTS:
        raise UblError(_("This XML is not a UBL invoice or credit note."))
    vat = []
    for subtotal in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS):
        rate = _text(subtotal, "cac:TaxCategory/cbc:Percent")
        vat.append(
            ReadVat(
                category=_text(subtotal, "cac:TaxCategory/cbc:ID"),
                rate=_decimal(rate, "cac:TaxCategory/cbc:Percent") if rate else None,
                taxable=_amount(subtotal, "cbc:TaxableAmount"),
                tax=_amount(subtotal, "cbc:TaxAmount"),
            )
        )
    tax_totals = [
        total for total in root.findall("cac:TaxTotal", NS) if total.find("cac:TaxSubtotal", NS) is not None
    ] or root.findall("cac:TaxTotal", NS)
    currency = _text(root, "cbc:DocumentCurrencyCode")
    # A TaxTotal in the tax currency (BT-111) has no subtotals; the document currency's one has them.
    tax_total = _amount(tax_totals[0], "cbc:TaxAmount") if tax_totals else Decimal("0")
    return ReadDocument(
        is_credit_note=ROOTS[root.tag],
        number=_text(root, "cbc:ID"),
        issue_date=_date(root, "cbc:IssueDate"),
        due_date=_date(root, "cbc:DueDate") or _date(root, "cac:PaymentMeans/cbc:PaymentDueDate"),
        currency=currency,
        customization=_text(root, "cbc:CustomizationID"),
        supplier=_party(root.find("cac:AccountingSupplierParty/cac:Party", NS)),
        buyer=_party(root.find("cac:AccountingCustomerParty/cac:Party", NS)),
        tax_exclusive=_amount(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
        tax_total=tax_total,
        tax_inclusive=_amount(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
        payable=_amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"),
        vat=vat,
        has_pdf=any(
            obj.get("mimeCode") == "application/pdf"
            for obj in root.iterfind(
                "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS
            )
        ),
    )


def embedded_file(data: bytes) -> tuple[str, bytes] | None:
    """The first PDF or image embedded in a UBL document (its human-readable copy, or the scan quick entry
    embedded) as (content type, bytes), or None. Only what its first bytes prove to be that type."""
    root = parse(data)
    for obj in root.iterfind("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS):
        mime = obj.get("mimeCode", "")
        if mime not in EXTENSIONS:
            continue
        try:
            content = base64.b64decode("".join((obj.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        if sniff(content) == mime:
            return mime, content
    return None
