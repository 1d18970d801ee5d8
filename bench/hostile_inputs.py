"""Benchmark of the refusals and limits of issue 17, without the database: how long the hostile inputs of the
probe take to be refused, and what a large legitimate invoice costs (the web request only stores it; the worker
does the rest). Prints seconds per step.

    .venv/bin/python bench/hostile_inputs.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from documents.ubl_read import UblError, parse, read_ubl  # noqa: E402
from documents.validation import validate  # noqa: E402
from dossiers.excel import Column, SheetError, read_sheet  # noqa: E402
from tests.documents.big_invoice import big_invoice  # noqa: E402
from tests.documents.test_upload_checks import attribute_bomb  # noqa: E402
from tests.dossiers.test_sheet_limits import inline_xlsx  # noqa: E402


def timed(label: str, func) -> object:
    start = time.perf_counter()
    try:
        result = func()
    except (UblError, SheetError) as error:
        result = f"refused: {error}"
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s   {str(result)[:70]}")
    return result


def main() -> None:
    bomb = attribute_bomb()
    timed(f"attribute bomb ({len(bomb) / 1e6:.1f} MB, 1,500,000 attributes): parse", lambda: parse(bomb))
    invoice = big_invoice(45_000)
    root = timed(f"45,000-line invoice ({len(invoice) / 1e6:.1f} MB): parse and shape check", lambda: parse(invoice))
    timed("45,000-line invoice: read header fields", lambda: read_ubl(root).payable)
    timed("45,000-line invoice: XSD + EN 16931 + Peppol rules (worker)", lambda: len(validate(root)))
    sheet = inline_xlsx(["Naam"] + [f"Klant {i}" for i in range(1_000_000)])
    timed(
        f"sheet of 1,000,000 inline-string rows ({len(sheet) / 1e6:.1f} MB)",
        lambda: read_sheet(sheet, [Column("name", "Naam")]),
    )
    other = inline_xlsx(["Iets anders"] + [f"Klant {i}" for i in range(100)])
    timed("sheet whose first row names no known column", lambda: read_sheet(other, [Column("name", "Naam")]))


if __name__ == "__main__":
    main()
