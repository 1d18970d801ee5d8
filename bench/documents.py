"""Benchmark of the document format code on one core, without the database: the steps of finalising a sales
document (PDF, UBL with the PDF embedded, validation with XSD + CEN + Peppol rules) and reading received UBL.
Prints documents per second for each step, so the slow part is visible. bench/finalise_and_import.py measures
the same with numbering, storage and the database.

    .venv/bin/python bench/documents.py [COUNT]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from documents.pdf import render_pdf  # noqa: E402
from documents.ubl import write_ubl  # noqa: E402
from documents.ubl_read import read_ubl  # noqa: E402
from documents.validation import validate  # noqa: E402
from tests.documents.test_ubl_oracle import MATRIX  # noqa: E402


def rate(label, count, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {count:6d} docs  {elapsed:7.2f} s  {count / elapsed:8.1f} docs/s")
    return result


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    documents = [MATRIX[name] for name in sorted(MATRIX) if name != "long-many-lines"]
    batch = [documents[i % len(documents)] for i in range(count)]
    start = time.perf_counter()
    validate(write_ubl(batch[0]))
    print(f"{'compile rules (once per process)':<34} {time.perf_counter() - start:20.2f} s")
    rate("render PDF", count, lambda: [render_pdf(d, "nl") for d in batch])
    xml = rate("write UBL", count, lambda: [write_ubl(d) for d in batch])
    rate("validate (XSD + CEN + Peppol)", count, lambda: [validate(x) for x in xml])
    rate("read received UBL", count, lambda: [read_ubl(x) for x in xml])
    big = write_ubl(MATRIX["long-many-lines"])
    rate("validate, 250-line document", 10, lambda: [validate(big) for _ in range(10)])


if __name__ == "__main__":
    main()
