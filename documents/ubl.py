"""Writing Peppol BIS Billing 3.0 UBL 2.1 (Invoice and CreditNote) from plain data. Pure: dataclasses in,
bytes out. Element order follows the UBL 2.1 schema; rule ids in comments are EN 16931 / Peppol BIS 3.0.
"""

import base64
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .money import AllowanceCharge, Line, Totals, VatCategory, compute_totals, effective_rate

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
ET.register_namespace("cac", NS["cac"])
ET.register_namespace("cbc", NS["cbc"])


# Peppol electronic address schemes (EAS) that take a VAT number, by the number's country prefix.
VAT_ENDPOINT_SCHEMES = {
    "AT": "9914",
    "BE": "9925",
    "BG": "9926",
    "CY": "9928",
    "CZ": "9929",
    "DE": "9930",
    "DK": "0198",
    "EE": "9931",
    "EL": "9933",
    "ES": "9920",
    "FI": "0213",
    "FR": "9957",
    "HR": "9934",
    "HU": "9910",
    "IE": "9935",
    "IT": "0211",
    "LT": "9937",
    "LU": "9938",
    "LV": "9939",
    "MT": "9943",
    "NL": "9944",
    "PL": "9945",
    "PT": "9946",
    "RO": "9947",
    "SI": "9949",
    "SK": "9950",
    "GB": "9932",
    "CH": "9927",  # outside the EU, with a VAT scheme of their own
}


class MissingEndpoint(ValueError):
    """A party has no Peppol electronic address (PEPPOL-EN16931-R010/R020): no enterprise number, no VAT
    number with a known scheme and no explicit endpoint."""


@dataclass(frozen=True)
class Party:
    name: str
    country: str = "BE"
    enterprise_number: str = ""  # Belgian KBO/BCE number, 10 digits: endpoint scheme 0208
    vat_number: str = ""  # with country prefix, e.g. BE0403170701
    street: str = ""
    city: str = ""
    postal_code: str = ""
    email: str = ""
    endpoint: tuple[str, str] | None = None  # explicit (scheme, identifier), e.g. ("0088", GLN)
    legal_id: tuple[str, str] | None = None  # another country's company register: ("0184", Danish CVR number)

    def electronic_address(self) -> tuple[str, str]:
        if self.endpoint:
            return self.endpoint
        if self.enterprise_number:
            return "0208", self.enterprise_number
        prefix = self.vat_number[:2].upper()
        if prefix in VAT_ENDPOINT_SCHEMES:
            return VAT_ENDPOINT_SCHEMES[prefix], self.vat_number
        if self.legal_id:
            return self.legal_id
        raise MissingEndpoint(self.name)


@dataclass(frozen=True)
class DocumentLine:
    description: str
    line: Line
    unit_code: str = "C62"


@dataclass
class UblDocument:
    is_credit_note: bool
    number: str
    issue_date: date
    seller: Party
    buyer: Party
    lines: list[DocumentLine]
    currency: str = "EUR"
    due_date: date | None = None
    buyer_reference: str = ""
    order_reference: str = ""
    note: str = ""
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)
    payment_iban: str = ""
    payment_reference: str = ""  # e.g. a Belgian structured communication
    payment_terms: str = ""
    corrected_invoice: str = ""  # credit notes: the number of the invoice they correct
    delivery_date: date | None = None
    pdf: bytes = b""
    pdf_name: str = ""
    attachment_mime: str = "application/pdf"  # PEPPOL-EN16931-CL001 also allows image/png and image/jpeg
    stated_vat: dict[tuple[str, Decimal], Decimal] = field(default_factory=dict)  # see money.compute_totals


# What XML 1.0 cannot carry at all (control characters pasted from a word processor, say): left out.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _cbc(parent: ET.Element, tag: str, text: object, **attrs: object) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS['cbc']}}}{tag}", {k: NOT_XML.sub("", str(v)) for k, v in attrs.items()})
    element.text = NOT_XML.sub("", str(text))
    return element


def _cac(parent: ET.Element, tag: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS['cac']}}}{tag}")


def _money(parent: ET.Element, tag: str, amount: Decimal, currency: str) -> ET.Element:
    return _cbc(parent, tag, f"{amount:.2f}", currencyID=currency)


def _rate_text(rate: Decimal) -> str:
    return f"{rate.normalize():f}"


def _tax_category(
    parent: ET.Element, tag: str, category: str, rate: Decimal, *, with_reason: bool = False
) -> ET.Element:
    element = _cac(parent, tag)
    _cbc(element, "ID", category)
    if category != VatCategory.NOT_SUBJECT:  # BR-O-05: no rate with category O
        _cbc(element, "Percent", _rate_text(effective_rate(category, rate)))  # BR-E-05, BR-AE-05, ...
    if with_reason and category in VatCategory.EXEMPTION_CODES:  # BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10
        _cbc(element, "TaxExemptionReasonCode", VatCategory.EXEMPTION_CODES[category])
        _cbc(element, "TaxExemptionReason", VatCategory.EXEMPTION_TEXTS[category])
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")
    return element


def _party(parent: ET.Element, tag: str, party: Party, *, with_vat: bool) -> None:
    wrapper = _cac(parent, tag)
    element = _cac(wrapper, "Party")
    scheme, identifier = party.electronic_address()  # PEPPOL-EN16931-R010/R020
    _cbc(element, "EndpointID", identifier, schemeID=scheme)
    _cbc(_cac(element, "PartyName"), "Name", party.name)
    address = _cac(element, "PostalAddress")
    if party.street:
        _cbc(address, "StreetName", party.street)
    if party.city:
        _cbc(address, "CityName", party.city)
    if party.postal_code:
        _cbc(address, "PostalZone", party.postal_code)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    if with_vat and party.vat_number:
        tax_scheme = _cac(element, "PartyTaxScheme")
        _cbc(tax_scheme, "CompanyID", party.vat_number)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.enterprise_number:
        _cbc(legal, "CompanyID", party.enterprise_number, schemeID="0208")
    elif party.legal_id:
        _cbc(legal, "CompanyID", party.legal_id[1], schemeID=party.legal_id[0])
    if party.email:
        _cbc(_cac(element, "Contact"), "ElectronicMail", party.email)


def write_ubl(doc: UblDocument) -> bytes:
    """The document as UBL bytes (UTF-8, with XML declaration). Totals are computed here, never taken from
    the caller, so the XML always adds up."""
    root_name = "CreditNote" if doc.is_credit_note else "Invoice"
    ET.register_namespace("", NS[root_name])
    root = ET.Element(f"{{{NS[root_name]}}}{root_name}")
    lines = [item.line for item in doc.lines]
    totals = compute_totals(lines, doc.allowances_charges, stated_vat=doc.stated_vat)
    categories = {line.vat_category for line in lines} | {item.vat_category for item in doc.allowances_charges}
    with_vat = VatCategory.NOT_SUBJECT not in categories  # BR-O-02..04: no VAT ids with category O

    _header(root, doc)
    if doc.pdf:
        _embedded_pdf(root, doc)
    _party(root, "AccountingSupplierParty", doc.seller, with_vat=with_vat)
    _party(root, "AccountingCustomerParty", doc.buyer, with_vat=with_vat)
    if VatCategory.INTRA_EU in categories:  # BR-IC-11, BR-IC-12: delivery date and country
        _delivery(root, doc)
    _payment(root, doc)
    for allowance_charge in doc.allowances_charges:
        _allowance_charge(root, allowance_charge, doc.currency)
    _tax_total(root, totals, doc.currency)
    _monetary_total(root, totals, doc.currency)
    for index, item in enumerate(doc.lines, start=1):
        _line(root, index, item, doc)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml


def _header(root: ET.Element, doc: UblDocument) -> None:
    """Profile, number, dates, type code, note, currency and the references (BT-1..BT-25)."""
    _cbc(root, "CustomizationID", CUSTOMIZATION)
    _cbc(root, "ProfileID", PROFILE)
    _cbc(root, "ID", doc.number)
    _cbc(root, "IssueDate", doc.issue_date.isoformat())
    if doc.due_date and not doc.is_credit_note:
        _cbc(root, "DueDate", doc.due_date.isoformat())
    _cbc(
        root, "CreditNoteTypeCode" if doc.is_credit_note else "InvoiceTypeCode", "381" if doc.is_credit_note else "380"
    )
    if doc.note:
        _cbc(root, "Note", doc.note)
    _cbc(root, "DocumentCurrencyCode", doc.currency)
    if doc.buyer_reference or not doc.order_reference:  # PEPPOL-EN16931-R003
        _cbc(root, "BuyerReference", doc.buyer_reference or doc.number)
    if doc.order_reference:
        _cbc(_cac(root, "OrderReference"), "ID", doc.order_reference)
    if doc.corrected_invoice:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", doc.corrected_invoice)


def _embedded_pdf(root: ET.Element, doc: UblDocument) -> None:
    """The human-readable copy (or the scan) as an AdditionalDocumentReference, base64 inside the XML."""
    reference = _cac(root, "AdditionalDocumentReference")
    _cbc(reference, "ID", doc.number)
    _cbc(reference, "DocumentDescription", "Invoice" if not doc.is_credit_note else "Credit note")
    attachment = _cac(reference, "Attachment")
    _cbc(
        attachment,
        "EmbeddedDocumentBinaryObject",
        base64.b64encode(doc.pdf).decode("ascii"),
        mimeCode=doc.attachment_mime,
        filename=doc.pdf_name or f"{doc.number}.pdf",
    )


def _delivery(root: ET.Element, doc: UblDocument) -> None:
    delivery = _cac(root, "Delivery")
    _cbc(delivery, "ActualDeliveryDate", (doc.delivery_date or doc.issue_date).isoformat())
    address = _cac(_cac(delivery, "DeliveryLocation"), "Address")
    _cbc(_cac(address, "Country"), "IdentificationCode", doc.buyer.country)


def _payment(root: ET.Element, doc: UblDocument) -> None:
    """Credit transfer to the seller's IBAN with its communication, and the payment terms."""
    if doc.payment_iban:
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", "30", name="Credit transfer")
        if doc.payment_reference:
            _cbc(means, "PaymentID", doc.payment_reference)
        _cbc(_cac(means, "PayeeFinancialAccount"), "ID", doc.payment_iban)
    if doc.payment_terms:
        _cbc(_cac(root, "PaymentTerms"), "Note", doc.payment_terms)


def _allowance_charge(root: ET.Element, item: AllowanceCharge, currency: str) -> None:
    element = _cac(root, "AllowanceCharge")
    _cbc(element, "ChargeIndicator", "true" if item.is_charge else "false")
    _cbc(element, "AllowanceChargeReason", item.reason)
    _money(element, "Amount", item.amount, currency)
    _tax_category(element, "TaxCategory", item.vat_category, item.vat_rate)


def _tax_total(root: ET.Element, totals: Totals, currency: str) -> None:
    tax_total = _cac(root, "TaxTotal")
    _money(tax_total, "TaxAmount", totals.tax_total, currency)
    for subtotal in totals.vat:
        element = _cac(tax_total, "TaxSubtotal")
        _money(element, "TaxableAmount", subtotal.taxable, currency)
        _money(element, "TaxAmount", subtotal.tax, currency)
        _tax_category(element, "TaxCategory", subtotal.category, subtotal.rate, with_reason=True)


def _monetary_total(root: ET.Element, totals: Totals, currency: str) -> None:
    monetary = _cac(root, "LegalMonetaryTotal")
    _money(monetary, "LineExtensionAmount", totals.line_total, currency)
    _money(monetary, "TaxExclusiveAmount", totals.tax_exclusive, currency)
    _money(monetary, "TaxInclusiveAmount", totals.tax_inclusive, currency)
    if totals.allowance_total:
        _money(monetary, "AllowanceTotalAmount", totals.allowance_total, currency)
    if totals.charge_total:
        _money(monetary, "ChargeTotalAmount", totals.charge_total, currency)
    _money(monetary, "PayableAmount", totals.payable, currency)


def _line(root: ET.Element, index: int, item: DocumentLine, doc: UblDocument) -> None:
    """One InvoiceLine or CreditNoteLine: quantity with its unit, net amount, discount, item and price."""
    line, currency = item.line, doc.currency
    line_tag, quantity_tag = (
        ("CreditNoteLine", "CreditedQuantity") if doc.is_credit_note else ("InvoiceLine", "InvoicedQuantity")
    )
    element = _cac(root, line_tag)
    _cbc(element, "ID", index)
    _cbc(element, quantity_tag, f"{line.quantity.normalize():f}", unitCode=item.unit_code)
    _money(element, "LineExtensionAmount", line.net, currency)
    if line.discount:
        allowance = _cac(element, "AllowanceCharge")
        _cbc(allowance, "ChargeIndicator", "false")
        _cbc(allowance, "AllowanceChargeReason", "Discount")
        _money(allowance, "Amount", line.discount, currency)
    product = _cac(element, "Item")
    _cbc(product, "Name", item.description[:200] or "-")
    if len(item.description) > 200:
        product.insert(0, _description(item.description))
    _tax_category(product, "ClassifiedTaxCategory", line.vat_category, line.vat_rate)
    _cbc(_cac(element, "Price"), "PriceAmount", f"{line.unit_price.normalize():f}", currencyID=currency)


def _description(text: str) -> ET.Element:
    element = ET.Element(f"{{{NS['cbc']}}}Description")
    element.text = NOT_XML.sub("", text)
    return element
