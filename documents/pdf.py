"""The human-readable PDF of a sales document, in the document's language. Pure: a UblDocument in, PDF bytes
out (reportlab, invariant mode so the same document always gives the same bytes)."""

import io

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from .money import compute_totals
from .ubl import Party, UblDocument
from .units import unit_label

rl_config.invariant = 1
LEFT, RIGHT, TOP, BOTTOM = 20 * mm, A4[0] - 20 * mm, A4[1] - 20 * mm, 25 * mm
# What a Belgian invoice must say when it charges no VAT (Royal Decree no. 1, art. 5), per UBL VAT category.
LEGAL_MENTIONS = {
    "AE": gettext_lazy("VAT reverse charge: the customer pays the VAT (art. 51 §2 and art. 21 §2 VAT Code)."),
    "K": gettext_lazy("Exempt intra-Community supply of goods (art. 39bis VAT Code)."),
    "G": gettext_lazy("Exempt: export outside the European Union (art. 39 VAT Code)."),
    "E": gettext_lazy("Exempt from VAT (art. 44 VAT Code)."),
    "O": gettext_lazy("Not subject to Belgian VAT."),
}


def format_price(price) -> str:
    """A unit price with all its decimals, at least 2, in the active language: 100 × 2,3333 must read as 233,33."""
    return formats.number_format(price, max(2, -price.normalize().as_tuple().exponent), use_l10n=True)


def _money(amount, currency):
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} {currency}"


def _party_lines(party: Party) -> list[str]:
    lines = [party.name, party.street, f"{party.postal_code} {party.city}".strip(), party.country]
    if party.vat_number:
        lines.append(_("VAT %(number)s") % {"number": party.vat_number})
    elif party.enterprise_number:
        lines.append(_("Enterprise number %(number)s") % {"number": party.enterprise_number})
    return [line for line in lines if line]


def render_pdf(doc: UblDocument, language: str) -> bytes:
    buffer = io.BytesIO()
    with translation.override(language):
        page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
        title = _("Credit note") if doc.is_credit_note else _("Invoice")
        page.setTitle(f"{title} {doc.number}")
        y = TOP
        page.setFont("Helvetica-Bold", 16)
        page.drawString(LEFT, y, f"{title} {doc.number}")
        page.setFont("Helvetica", 9)
        for index, line in enumerate(_party_lines(doc.seller)):
            page.drawRightString(RIGHT, y - index * 11, line)
        y -= 70
        page.setFont("Helvetica-Bold", 9)
        page.drawString(LEFT, y, _("Customer"))
        page.setFont("Helvetica", 9)
        for index, line in enumerate(_party_lines(doc.buyer), start=1):
            page.drawString(LEFT, y - index * 11, line)
        facts = [(_("Invoice date"), formats.date_format(doc.issue_date, "SHORT_DATE_FORMAT"))]
        if doc.due_date:
            facts.append((_("Due date"), formats.date_format(doc.due_date, "SHORT_DATE_FORMAT")))
        if doc.corrected_invoice:
            facts.append((_("Corrects invoice"), doc.corrected_invoice))
        if doc.buyer_reference:
            facts.append((_("Your reference"), doc.buyer_reference))
        if doc.order_reference:
            facts.append((_("Order"), doc.order_reference))
        for index, (label, value) in enumerate(facts):
            page.drawString(RIGHT - 70 * mm, y - index * 11, label)
            page.drawRightString(RIGHT, y - index * 11, value)
        y -= 90
        columns = [
            (LEFT, _("Description"), False),
            (RIGHT - 75 * mm, _("Quantity"), True),
            (RIGHT - 50 * mm, _("Unit price"), True),
            (RIGHT - 32 * mm, _("VAT"), True),
            (RIGHT, _("Amount"), True),
        ]

        def header(y):
            page.setFont("Helvetica-Bold", 9)
            for x, label, right in columns:
                (page.drawRightString if right else page.drawString)(x, y, label)
            page.line(LEFT, y - 3, RIGHT, y - 3)
            page.setFont("Helvetica", 9)
            return y - 14

        def room(y, needed, table=False):
            """Where to write the next `needed` points: here, or at the top of a new page."""
            if y - needed >= BOTTOM:
                return y
            page.showPage()
            page.setFont("Helvetica", 9)
            return header(TOP) if table else TOP

        y = header(y)
        description_width = columns[1][0] - 25 * mm - LEFT
        for item in doc.lines:
            line = item.line
            text = simpleSplit(item.description, "Helvetica", 9, description_width) or [""]
            if line.discount_percent:
                text.append(_("discount %(percent)s%%") % {"percent": f"{line.discount_percent.normalize():f}"})
            y = room(y, 12 * len(text), table=True)
            quantity = formats.number_format(line.quantity.normalize(), use_l10n=True)
            page.drawRightString(columns[1][0], y, f"{quantity} {unit_label(item.unit_code)}")
            page.drawRightString(columns[2][0], y, format_price(line.unit_price))
            page.drawRightString(
                columns[3][0], y, f"{line.vat_rate.normalize():f}%" if line.vat_category == "S" else line.vat_category
            )
            page.drawRightString(columns[4][0], y, formats.number_format(line.net, 2, use_l10n=True))
            for part in text:
                page.drawString(LEFT, y, part)
                y -= 12
        totals = compute_totals([item.line for item in doc.lines], doc.allowances_charges, stated_vat=doc.stated_vat)
        y -= 10
        rows = []
        if doc.allowances_charges:
            rows.append((_("Sum of the lines"), totals.line_total))
            rows += [
                (
                    f"{_('Charge') if item.is_charge else _('Allowance')}: {item.reason[:60]}",
                    item.amount if item.is_charge else -item.amount,
                )
                for item in doc.allowances_charges
            ]
        rows.append((_("Total excl. VAT"), totals.tax_exclusive))
        rows += [
            (
                _("VAT %(rate)s%% (%(category)s) on %(base)s")
                % {
                    "rate": f"{v.rate.normalize():f}",
                    "category": v.category,
                    "base": formats.number_format(v.taxable, 2, use_l10n=True),
                },
                v.tax,
            )
            for v in totals.vat
        ]
        rows.append((_("Amount due"), totals.payable))
        for label, amount in rows:
            y = room(y, 12)
            page.drawRightString(RIGHT - 35 * mm, y, label)
            page.drawRightString(RIGHT, y, _money(amount, doc.currency))
            y -= 12
        y -= 10
        texts = [str(LEGAL_MENTIONS[v.category]) for v in totals.vat if v.category in LEGAL_MENTIONS]
        if doc.payment_iban:
            text = _("Pay to %(iban)s") % {"iban": doc.payment_iban}
            if doc.payment_reference:
                text += " " + _("with communication %(reference)s") % {"reference": doc.payment_reference}
            texts.append(text)
        texts += [text for text in (doc.payment_terms, doc.note) if text]
        for text in texts:
            for part in simpleSplit(text, "Helvetica", 9, RIGHT - LEFT):
                y = room(y, 12)
                page.drawString(LEFT, y, part)
                y -= 12
        page.showPage()
        page.save()
    return buffer.getvalue()
