"""Excel (.xlsx) reading and writing for bulk import and export. Pure: bytes in, rows out, and back.

Reading refuses, before openpyxl sees the file: anything that is not a zip-based xlsx, files over
MAX_FILE_BYTES, and archives that inflate beyond MAX_UNPACKED_BYTES or by more than MAX_RATIO
(decompression bombs). openpyxl then reads read-only; a formula where a value is expected is an error.
Writing never lets a value start a formula: text starting with = + - @ is stored as a string cell.
"""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from core.amounts import number_of_cell

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_ROWS = 20_000
FORMULA_STARTS = ("=", "+", "-", "@")


class SheetError(Exception):
    """The whole file is refused; nothing is imported. The message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    note: str = ""
    choices: tuple[str, ...] = ()
    example: str = ""
    aliases: tuple[str, ...] = ()  # the header in the other interface languages


@dataclass
class SheetRow:
    number: int  # the row number the user sees in Excel
    values: dict[str, str] = field(default_factory=dict)
    formulas: list[str] = field(default_factory=list)  # keys of cells that hold a formula


def _check_archive(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise SheetError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetError(_("This is not an Excel file (.xlsx). Save the sheet as “Excel Workbook (.xlsx)”."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise SheetError(_("This is not an Excel file (.xlsx). Save the sheet as “Excel Workbook (.xlsx)”.")) from None
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise SheetError(_("This is not an Excel file (.xlsx). Save the sheet as “Excel Workbook (.xlsx)”."))
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(data), 1):
        raise SheetError(_("The file unpacks to an unreasonable size and was refused."))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        # A number cell stays the number it is (`core.amounts`): 1.25 is never read as "1.25" typed by hand.
        return number_of_cell(int(value) if isinstance(value, float) and value.is_integer() else value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_sheet(data: bytes, columns: Sequence[Column]) -> list[SheetRow]:
    """Read the first sheet: a header row naming the columns (any order, case-insensitive), then data rows.

    Refuses files that are not safe xlsx, sheets missing a required column, and more than MAX_ROWS rows.
    Empty rows are skipped. Unknown columns are ignored.
    """
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:
        raise SheetError(_("This Excel file could not be read. Save it again as .xlsx and retry.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        try:
            header = next(rows)
        except StopIteration:
            raise SheetError(_("The sheet is empty.")) from None
        by_header = {
            name.lower(): column for column in columns for name in (column.key, column.header, *column.aliases)
        }
        positions: dict[int, Column] = {}
        for index, cell in enumerate(header):
            name = _text(cell.value).rstrip(" *").lower()
            if name in by_header:
                positions[index] = by_header[name]
        present = {column.key for column in positions.values()}
        missing = [column.header for column in columns if column.required and column.key not in present]
        if missing:
            raise SheetError(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
        result: list[SheetRow] = []
        for number, cells in enumerate(rows, start=2):
            row = SheetRow(number=number)
            for index, column in positions.items():
                if index >= len(cells):
                    continue
                cell = cells[index]
                if getattr(cell, "data_type", None) == "f":
                    row.formulas.append(column.key)
                    row.values[column.key] = ""
                else:
                    row.values[column.key] = _text(cell.value)
            if any(row.values.values()) or row.formulas:
                result.append(row)
                if len(result) > MAX_ROWS:
                    raise SheetError(_("The sheet has more than %(max)s rows.") % {"max": MAX_ROWS})
        return result
    finally:
        workbook.close()


def write_sheet(columns: Sequence[Column], rows: Iterable[dict[str, str]], *, title: str, example: bool) -> bytes:
    """An xlsx with a bold header row (notes on each column), optional example row, list validation for
    columns with choices, and the rows. No cell is ever written as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([column.header + (" *" if column.required else "") for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        if column.note:
            cell.comment = Comment(column.note, "portal")
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column.header) + 4)
        if column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            validation.add(f"{cell.column_letter}2:{cell.column_letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    if example:
        sheet.append([column.example for column in columns])
    for values in rows:
        sheet.append([values.get(column.key, "") for column in columns])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula (CSV/Excel injection)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
