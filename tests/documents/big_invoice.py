"""Large but legitimate Peppol invoices for tests and benchmarks: the header of a real sample, N lines."""

from decimal import Decimal
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[3] / "shared/fixtures/ubl/letspeppol-0208-invoice.xml"

LINE = (
    "<cac:InvoiceLine><cbc:ID>{n}</cbc:ID>"
    '<cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>'
    '<cbc:LineExtensionAmount currencyID="EUR">1</cbc:LineExtensionAmount>'
    "<cac:Item>{description}<cbc:Name>L{n}</cbc:Name>"
    "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>"
    "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>"
    '<cac:Price><cbc:PriceAmount currencyID="EUR">1</cbc:PriceAmount></cac:Price></cac:InvoiceLine>\n'
)


def big_invoice(lines: int, padding: int = 0, number: str = "BIG-1") -> bytes:
    """A Peppol BIS 3.0 invoice with `lines` lines of 1.00 EUR at 25 % and the sample's 25 EUR charge; each
    line's description has `padding` characters (to reach a file size)."""
    text = SAMPLE.read_text()
    head = text[: text.index("  <cac:AllowanceCharge>")].replace(
        "<cbc:ID>Snippet1</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>", 1
    )
    net = Decimal(lines)
    excl = net + 25
    tax = excl * Decimal("0.25")
    totals = f"""  <cac:AllowanceCharge>
    <cbc:ChargeIndicator>true</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>Insurance</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="EUR">25.00</cbc:Amount>
    <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
  </cac:AllowanceCharge>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">{tax:.2f}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">{excl:.2f}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">{tax:.2f}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">{net:.2f}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">{excl:.2f}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">{excl + tax:.2f}</cbc:TaxInclusiveAmount>
    <cbc:ChargeTotalAmount currencyID="EUR">25.00</cbc:ChargeTotalAmount>
    <cbc:PayableAmount currencyID="EUR">{excl + tax:.2f}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
"""
    description = f"<cbc:Description>{'x' * padding}</cbc:Description>" if padding else ""
    body = "".join(LINE.format(n=n, description=description) for n in range(1, lines + 1))
    return (head + totals + body + "</Invoice>\n").encode()
