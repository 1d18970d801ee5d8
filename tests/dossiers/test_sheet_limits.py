"""A sheet is refused with its reason, never read as "0 rows": too many rows (also a million rows of inline
strings, refused before openpyxl reads them), a first row that names no known column, no readable rows."""

import io
import time
import zipfile

import pytest

from dossiers.excel import MAX_ROWS, Column, SheetError, read_sheet

COLUMNS = [Column("name", "Naam", required=True), Column("city", "Gemeente")]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OOXML}.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def inline_xlsx(values: list[str]) -> bytes:
    """A one-column xlsx written as some generators do: inline strings and no <dimension> element."""
    body = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{value}</t></is></c></row>'
        for i, value in enumerate(values, start=1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'
        )
    return buffer.getvalue()


def test_a_million_rows_of_inline_strings_are_refused_at_once_with_the_row_limit():
    data = inline_xlsx(["Naam"] + [f"Klant {i}" for i in range(1_000_000)])
    started = time.monotonic()
    with pytest.raises(SheetError, match=f"{MAX_ROWS}"):
        read_sheet(data, COLUMNS)
    assert time.monotonic() - started < 5


def test_a_header_that_names_no_column_is_refused_with_the_expected_names():
    with pytest.raises(SheetError) as refused:
        read_sheet(inline_xlsx(["Something else", "a", "b"]), [Column("city", "Gemeente")])
    assert "Gemeente" in str(refused.value)


def test_a_sheet_with_only_its_header_is_refused():
    with pytest.raises(SheetError):
        read_sheet(inline_xlsx(["Naam"]), COLUMNS)


def test_inline_strings_are_read():
    rows = read_sheet(inline_xlsx(["Naam", "Bakkerij Peeters", "", "Garage Verbeke"]), COLUMNS)
    assert [row.values["name"] for row in rows] == ["Bakkerij Peeters", "Garage Verbeke"]
    assert [row.number for row in rows] == [2, 4]
