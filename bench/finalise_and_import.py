"""Benchmark with the database: finalising sales documents (number, PDF, UBL, validation, storage) and
importing purchase UBL (read, validation, storage), one by one as a single upload does; then the bulk import of
IMPORTS distinct UBL files as the import command and a multi-file upload do it (stored in groups of 50 per
transaction), in this process and with the rules checked in one worker process per core (pool start
included). Prints documents per second; bench/documents.py splits the format steps further.

    .venv/bin/python bench/finalise_and_import.py [COUNT] [IMPORTS]

Uses DATABASE_URL like the portal; creates a throw-away firm and drops it afterwards.
"""

import os
import sys
import tempfile
import time
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))

import django  # noqa: E402

django.setup()

from bench.throwaway import throwaway_firm  # noqa: E402
from documents.bulk import import_files  # noqa: E402
from documents.sales import DraftLine, finalise, save_draft  # noqa: E402
from documents.services import import_purchase  # noqa: E402
from documents.ubl import write_ubl  # noqa: E402
from documents.validation import validate  # noqa: E402
from dossiers.models import Contact, Dossier  # noqa: E402

LINES = [
    DraftLine("Brood wit", D("12"), D("2.85"), D("6")),
    DraftLine("Catering", D("3.5"), D("45"), D("21")),
    DraftLine("Wijn", D("2"), D("12.99"), D("21"), discount_percent=D("10")),
]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    imports = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with throwaway_firm():
        seller = Dossier.objects.create(name="Verkoper", enterprise_number="0202239951", city="Gent")
        buyer = Dossier.objects.create(name="Koper", enterprise_number="0403170701", city="Brussel")
        customer = Contact.objects.create(
            dossier=seller, kind="customer", name="Koper NV", vat_number="BE0403170701", enterprise_number="0403170701"
        )
        validate(b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
        drafts = [
            save_draft(seller, customer, LINES, actor=None, payment_iban="BE71096123456769") for _ in range(count)
        ]
        start = time.perf_counter()
        final = [finalise(draft, None) for draft in drafts]
        elapsed = time.perf_counter() - start
        print(
            f"finalise (number, PDF, UBL, validate, store)  {count} docs  {elapsed:6.2f} s  "
            f"{count / elapsed:7.1f} docs/s"
        )
        files = []
        for document in final:
            with document.ubl.open("rb") as stored:
                files.append(stored.read())
        start = time.perf_counter()
        results = [import_purchase(buyer, data, "x.xml", None) for data in files]
        elapsed = time.perf_counter() - start
        assert all(result.outcome == "imported" for result in results)
        print(
            f"import purchase UBL, one file at a time     {count} docs  {elapsed:6.2f} s  {count / elapsed:7.1f} docs/s"
        )
        bulk(imports)


def bulk(imports: int) -> None:
    """The import command's path on distinct files: one by one, then with a worker process per core."""
    from dataclasses import replace

    from tests.documents.test_ubl_oracle import MATRIX

    models = [MATRIX[name] for name in sorted(MATRIX) if name != "long-many-lines"]
    files = [
        (f"bulk-{n}.xml", write_ubl(replace(models[n % len(models)], number=f"BULK-{n:06d}"))) for n in range(imports)
    ]
    for label, workers in (("bulk import, one process", 1), (f"bulk import, {os.cpu_count()} worker processes", None)):
        target = Dossier.objects.create(
            name=label, enterprise_number=f"{1000000 + len(label):08d}{97 - (1000000 + len(label)) % 97:02d}"
        )
        start = time.perf_counter()
        results = [result for _name, result in import_files(target, files, None, workers=workers)]
        elapsed = time.perf_counter() - start
        assert all(result.outcome == "imported" for result in results)
        print(f"{label:<44} {imports} docs  {elapsed:6.2f} s  {imports / elapsed:7.1f} docs/s")


if __name__ == "__main__":
    main()
