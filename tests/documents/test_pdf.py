"""The human-readable PDF: everything the UBL says, readable: long descriptions whole, discounts, the legal
mention when no VAT is charged, many lines over several pages, in the document's language."""

from dataclasses import replace
from decimal import Decimal

from documents.pdf import render_pdf

from .pdf_text import pdf_text
from .test_ubl_oracle import MATRIX


def test_long_descriptions_are_wrapped_not_cut_and_many_lines_take_several_pages():
    document = MATRIX["long-many-lines"]
    pdf = render_pdf(document, "nl")
    text = pdf_text(pdf)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") > 1
    assert text.count("omschrijving") == 30 * len(document.lines)  # 570 characters each, all of them
    assert "Te betalen" in text
    long = replace(
        MATRIX["rate-21"],
        lines=[replace(MATRIX["rate-21"].lines[0], description="Herstelling " * 40 + "EINDE-VAN-DE-TEKST")],
    )
    assert "EINDE-VAN-DE-TEKST" in pdf_text(render_pdf(long, "nl"))


def test_no_vat_charged_says_why_in_the_documents_language():
    assert "Btw verlegd" in pdf_text(render_pdf(MATRIX["reverse-charge-eu"], "nl"))
    assert "Autoliquidation" in pdf_text(render_pdf(MATRIX["reverse-charge-eu"], "fr"))
    assert "art. 39 W.Btw" in pdf_text(render_pdf(MATRIX["export"], "nl"))
    assert "art. 44 C.TVA" in pdf_text(render_pdf(MATRIX["exempt"], "fr"))
    assert "Btw verlegd" not in pdf_text(render_pdf(MATRIX["rate-21"], "nl"))


def test_a_line_discount_is_shown():
    document = MATRIX["rate-21"]
    line = replace(
        document.lines[0],
        line=replace(document.lines[0].line, discount_percent=document.lines[0].line.discount_percent + 10),
    )
    assert "korting 10%" in pdf_text(render_pdf(replace(document, lines=[line]), "nl"))


def test_a_unit_price_shows_all_its_decimals():
    text = pdf_text(render_pdf(MATRIX["allowances-charges"], "nl"))  # 100 × 2.3333 at 6 %
    assert "2,3333" in text and "233,33" in text


def test_quantities_carry_their_unit_in_the_documents_language():
    assert "3,5 uur" in pdf_text(render_pdf(MATRIX["mixed-rates"], "nl"))  # Catering, 3.5 HUR
    assert "3,5 heures" in pdf_text(render_pdf(MATRIX["mixed-rates"], "fr"))


def _one_line(quantity: str, unit: str):
    document = MATRIX["rate-21"]
    item = document.lines[0]
    return replace(document, lines=[replace(item, unit_code=unit, line=replace(item.line, quantity=Decimal(quantity)))])


def test_units_are_in_the_plural_when_the_quantity_asks_for_it():
    assert "10 stuks" in pdf_text(render_pdf(_one_line("10", "C62"), "nl"))
    assert "10 pi\\350ces" in pdf_text(render_pdf(_one_line("10", "C62"), "fr"))  # è, as reportlab escapes it
    one = pdf_text(render_pdf(_one_line("1", "C62"), "nl"))
    assert "1 stuk" in one and "1 stuks" not in one
    assert "2 dagen" in pdf_text(render_pdf(_one_line("2", "DAY"), "nl"))
    assert "2 jours" in pdf_text(render_pdf(_one_line("2", "DAY"), "fr"))
    french_fraction = pdf_text(render_pdf(_one_line("1.5", "DAY"), "fr"))
    assert "1,5 jour" in french_fraction and "1,5 jours" not in french_fraction  # below 2: singular in French
    assert "1,5 dagen" in pdf_text(render_pdf(_one_line("1.5", "DAY"), "nl"))
