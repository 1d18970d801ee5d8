"""The human-readable PDF of a sales document, in the document's language. Pure: a UblDocument in, PDF bytes
out (reportlab platypus: flowables in page templates; invariant mode so the same document always gives the
same bytes)."""

import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab import rl_config
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .money import Totals, compute_totals
from .ubl import Party, UblDocument
from .units import counted_unit_label

rl_config.invariant = 1
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 20 * mm, A4[0] - 20 * mm, A4[1] - 20 * mm, 25 * mm
WIDTH = RIGHT - LEFT
# What a Belgian invoice must say when it charges no VAT (Royal Decree no. 1, art. 5), per UBL VAT category.
LEGAL_MENTIONS = {
    "AE": gettext_lazy("VAT reverse charge: the customer pays the VAT (art. 51 §2 and art. 21 §2 VAT Code)."),
    "K": gettext_lazy("Exempt intra-Community supply of goods (art. 39bis VAT Code)."),
    "G": gettext_lazy("Exempt: export outside the European Union (art. 39 VAT Code)."),
    "E": gettext_lazy("Exempt from VAT (art. 44 VAT Code)."),
    "O": gettext_lazy("Not subject to Belgian VAT."),
}

NORMAL = ParagraphStyle("Normal", fontName="Helvetica", fontSize=9, leading=12)
BOLD = ParagraphStyle("Bold", parent=NORMAL, fontName="Helvetica-Bold")
RIGHT_ALIGNED = ParagraphStyle("Right", parent=NORMAL, alignment=TA_RIGHT, leading=11)
TITLE = ParagraphStyle("Title", parent=NORMAL, fontName="Helvetica-Bold", fontSize=16, leading=19)
# Column widths of the lines table: description, quantity, unit price, VAT, amount (170 mm in all).
LINE_COLUMNS = (70 * mm, 25 * mm, 25 * mm, 18 * mm, 32 * mm)
CELL_PADDING = 6  # points: the description cell's right padding (its left one is 0)
MAX_ROW_HEIGHT = 60 * mm  # a table row never splits over two pages: a longer description goes on in the next row
NO_PADDING = [(edge, (0, 0), (-1, -1), 0) for edge in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING")]


def format_price(price: Decimal) -> str:
    """A unit price with all its decimals, at least 2, in the active language: 100 × 2,3333 must read as 233,33."""
    exponent = price.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) else 0
    return formats.number_format(price, max(2, decimals), use_l10n=True)


def _money(amount: Decimal, currency: str) -> str:
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} {currency}"


def _markup(text: str) -> str:
    """Plain text as Paragraph markup: `<` and `&` escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _party_lines(party: Party) -> list[str]:
    lines = [party.name, party.street, f"{party.postal_code} {party.city}".strip(), party.country]
    if party.vat_number:
        lines.append(_("VAT %(number)s") % {"number": party.vat_number})
    elif party.enterprise_number:
        lines.append(_("Enterprise number %(number)s") % {"number": party.enterprise_number})
    return [line for line in lines if line]


class _NumberedCanvas(canvas.Canvas):
    """Pages are written at the end, when their count is known, so each says "page / pages" (as pretix's
    NumberedCanvas does)."""

    def __init__(self, *args: Any, footer: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.drawString(LEFT, BOTTOM - 12 * mm, self._footer)
            self.drawRightString(RIGHT, BOTTOM - 12 * mm, f"{self._pageNumber}/{len(self._pages)}")
            super().showPage()
        super().save()


def render_pdf(doc: UblDocument, language: str) -> bytes:
    """The document as a PDF in `language`: parties, dates and references, one row per line (whole
    description, quantity with its unit, unit price with all its decimals, discount, VAT), allowances and
    charges, totals per VAT rate, the legal mention for each category without VAT, payment and notes. Lines
    go on over as many pages as they need; the column headings repeat on each page."""
    buffer = io.BytesIO()
    with translation.override(language):
        title = f"{_('Credit note') if doc.is_credit_note else _('Invoice')} {doc.number}"
        template = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=LEFT,
            rightMargin=PAGE_WIDTH - RIGHT,
            topMargin=PAGE_HEIGHT - TOP,
            bottomMargin=BOTTOM,
            title=title,
            pageCompression=1,
            invariant=1,
        )
        content = dict(x1=LEFT, width=WIDTH, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        template.addPageTemplates(
            [
                PageTemplate("first", [Frame(y1=BOTTOM, height=TOP - BOTTOM, **content)]),
                PageTemplate(
                    "later",
                    [Frame(y1=BOTTOM, height=TOP - BOTTOM - 10 * mm, **content)],
                    onPage=lambda page, _template: _running_head(page, title),
                ),
            ]
        )
        totals = compute_totals([item.line for item in doc.lines], doc.allowances_charges, stated_vat=doc.stated_vat)
        story = [
            NextPageTemplate("later"),
            _heading(doc, title),
            Spacer(1, 10 * mm),
            _lines_table(doc),
            Spacer(1, 6 * mm),
            KeepTogether(_totals_table(doc, totals)),
            Spacer(1, 6 * mm),
            *[Paragraph(_markup(text), NORMAL) for text in _closing_texts(doc, totals)],
        ]
        seller = doc.seller
        footer = " · ".join(
            part for part in (title, seller.name, seller.vat_number or seller.enterprise_number) if part
        )
        template.build(story, canvasmaker=lambda *args, **kwargs: _NumberedCanvas(*args, footer=footer, **kwargs))
    return buffer.getvalue()


def _running_head(page: canvas.Canvas, title: str) -> None:
    """The document's title at the top of every page after the first."""
    page.saveState()
    page.setFont("Helvetica-Bold", 9)
    page.drawString(LEFT, TOP - 3 * mm, title)
    page.restoreState()


def _heading(doc: UblDocument, title: str) -> Table:
    """Title and seller side by side; below, the customer and the document's dates and references. One table
    of plain strings: a Paragraph costs a markup parse, and these lines need no wrapping."""
    facts = _facts(doc)
    table = Table(
        [
            [title, "\n".join(_party_lines(doc.seller)), ""],
            ["", "", ""],
            [_("Customer"), "\n".join(label for label, _value in facts), "\n".join(value for _label, value in facts)],
            ["\n".join(_party_lines(doc.buyer)), "", ""],
        ],
        colWidths=(WIDTH - 70 * mm, 40 * mm, 30 * mm),
        rowHeights=[None, 12 * mm, None, None],
    )
    table.setStyle(
        TableStyle(
            [
                *NO_PADDING,
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9, 11),
                ("FONT", (0, 0), (0, 0), "Helvetica-Bold", 16, 19),
                ("FONT", (0, 2), (0, 2), "Helvetica-Bold", 9, 11),
                ("SPAN", (1, 0), (2, 0)),  # the seller
                ("SPAN", (1, 2), (1, 3)),  # the facts' labels and values, beside the customer
                ("SPAN", (2, 2), (2, 3)),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("ALIGN", (2, 2), (2, 2), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _facts(doc: UblDocument) -> list[tuple[str, str]]:
    facts = [(_("Invoice date"), formats.date_format(doc.issue_date, "SHORT_DATE_FORMAT"))]
    if doc.due_date:
        facts.append((_("Due date"), formats.date_format(doc.due_date, "SHORT_DATE_FORMAT")))
    if doc.corrected_invoice:
        facts.append((_("Corrects invoice"), doc.corrected_invoice))
    if doc.buyer_reference:
        facts.append((_("Your reference"), doc.buyer_reference))
    if doc.order_reference:
        facts.append((_("Order"), doc.order_reference))
    return facts


def _lines_table(doc: UblDocument) -> Table:
    """One row per line, its description wrapped in its cell; a row that does not fit on a page starts the next.
    A description taller than a page goes on in rows of its own below (reportlab's splitInRow misplaces the
    repeated headings)."""
    rows: list[list[Any]] = [[_("Description"), _("Quantity"), _("Unit price"), _("VAT"), _("Amount")]]
    for item in doc.lines:
        line = item.line
        parts = _description_parts(item.description)
        if line.discount_percent:
            discount = _("discount %(percent)s%%") % {"percent": f"{line.discount_percent.normalize():f}"}
            last = parts[-1]
            parts[-1] = f"{last}\n{discount}" if isinstance(last, str) else [last, Paragraph(_markup(discount), NORMAL)]
        quantity = formats.number_format(line.quantity.normalize(), use_l10n=True)
        rows.append(
            [
                parts[0],
                f"{quantity} {counted_unit_label(item.unit_code, line.quantity)}",
                format_price(line.unit_price),
                f"{line.vat_rate.normalize():f}%" if line.vat_category == "S" else line.vat_category,
                formats.number_format(line.net, 2, use_l10n=True),
            ]
        )
        rows += [[part, "", "", "", ""] for part in parts[1:]]
    table = Table(rows, colWidths=LINE_COLUMNS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _description_parts(text: str) -> list[Any]:
    """The description as a string when it fits on one line, else as a paragraph, or as several when it is
    taller than MAX_ROW_HEIGHT."""
    if "\n" not in text and stringWidth(text, "Helvetica", 9) <= LINE_COLUMNS[0] - CELL_PADDING:
        return [text]
    paragraph = Paragraph(_markup(text), NORMAL)
    if len(text) < 300 and "\n" not in text:  # at most ~13 lines of 70 mm: no need to measure
        return [paragraph]
    parts: list[Any] = []
    while paragraph.wrap(LINE_COLUMNS[0] - CELL_PADDING, MAX_ROW_HEIGHT)[1] > MAX_ROW_HEIGHT:
        first, paragraph = paragraph.split(LINE_COLUMNS[0] - CELL_PADDING, MAX_ROW_HEIGHT)
        parts.append(first)
    return [*parts, paragraph]


def _totals_table(doc: UblDocument, totals: Totals) -> Table:
    """Sum of the lines with each allowance and charge (when there are any), total excluding VAT, the VAT per
    category and rate, and the amount due."""
    rows: list[tuple[str, Decimal]] = []
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
    table = Table(
        [(label, _money(amount, doc.currency)) for label, amount in rows], colWidths=(WIDTH - 35 * mm, 35 * mm)
    )
    table.setStyle(
        TableStyle(
            [
                *NO_PADDING,
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 9),
                ("LINEABOVE", (1, -1), (1, -1), 0.5, "black"),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _closing_texts(doc: UblDocument, totals: Totals) -> list[str]:
    """The legal mention of each VAT category without VAT, where to pay, the payment terms and the note."""
    texts = [str(LEGAL_MENTIONS[v.category]) for v in totals.vat if v.category in LEGAL_MENTIONS]
    if doc.payment_iban:
        text = _("Pay to %(iban)s") % {"iban": doc.payment_iban}
        if doc.payment_reference:
            text += " " + _("with communication %(reference)s") % {"reference": doc.payment_reference}
        texts.append(text)
    return texts + [text for text in (doc.payment_terms, doc.note) if text]
