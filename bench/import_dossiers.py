"""Benchmark: importing 5,000 dossiers from Excel (read, preview, apply, re-import preview).

    .venv/bin/python bench/import_dossiers.py [ROWS]

Uses DATABASE_URL / REDIS_URL like the portal (run `python -m devstack run` first, or point them at
real servers). Creates a throw-away firm, prints rows per second for each step, then drops the firm.
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402

from bench.throwaway import throwaway_firm  # noqa: E402
from dossiers.excel import read_sheet  # noqa: E402
from dossiers.importing import apply_import, plan_import  # noqa: E402
from dossiers.services import DossierSpec  # noqa: E402
from dossiers.sheets import dossier_columns  # noqa: E402


def numbers(count: int):
    """Valid enterprise numbers: 0 + 7 digits + (97 - first eight mod 97)."""
    for base in range(2_000_000, 2_000_000 + count):
        first = f"0{base:07d}"
        yield first + f"{97 - int(first) % 97:02d}"


def sheet(count: int, city: str = "Gent") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.append([c.header for c in dossier_columns()])
    for i, number in enumerate(numbers(count)):
        ws.append(
            [number, f"Klant {i:05d} BV", "BV", f"Straat {i}", "9000", city, "BE", f"klant{i}@example.com", "nl", ""]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(label: str, rows: int, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<28} {elapsed:7.2f} s   {rows / elapsed:9.0f} rows/s")
    return result


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    data = sheet(count)
    print(f"{count} rows, {len(data) / 1024:.0f} KiB")
    columns = dossier_columns()
    with throwaway_firm() as firm:
        rows = timed("read sheet", count, lambda: read_sheet(data, columns))
        plan = timed("preview (plan)", count, lambda: plan_import(DossierSpec(firm), rows))
        assert len(plan.creates) == count, (len(plan.creates), plan.errors[:3])
        timed("apply", count, lambda: apply_import(DossierSpec(firm), plan, None))
        again = timed("re-import preview", count, lambda: plan_import(DossierSpec(firm), read_sheet(data, columns)))
        assert again.unchanged == count
        moved = sheet(count, city="Brugge")
        changed = timed(
            "preview, every row changed", count, lambda: plan_import(DossierSpec(firm), read_sheet(moved, columns))
        )
        assert len(changed.changes) == count and changed.changes[0].changes[0].new == "Brugge"


if __name__ == "__main__":
    main()
