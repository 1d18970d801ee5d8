"""Rows the benchmarks make in bulk (import after django.setup())."""

from datetime import date, timedelta
from decimal import Decimal

from documents.models import Direction, Document, DocumentStatus
from dossiers.models import Dossier


def final_document(dossier: Dossier, n: int, *, ubl: str, sha256: str, direction: str = Direction.PURCHASE) -> Document:
    """The `n`th final, valid invoice of 121.00 of a dossier, dated in October 2026 (unsaved, for bulk_create);
    its UBL file is named, not stored (the benchmarks time queueing, not delivery)."""
    return Document(
        dossier=dossier,
        direction=direction,
        number=f"F{n:05d}",
        issue_date=date(2026, 10, 1) + timedelta(days=n % 31),
        counterparty_name="Leverancier NV",
        tax_exclusive=Decimal("100.00"),
        tax_total=Decimal("21.00"),
        payable=Decimal("121.00"),
        status=DocumentStatus.FINAL,
        is_valid=True,
        ubl=ubl,
        ubl_sha256=sha256,
        ubl_size=20000,
    )
