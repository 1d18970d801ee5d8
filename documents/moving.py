"""Moving a dossier's documents to another firm when its entrepreneur accepts a link request
(dossiers.linking calls this inside its transaction). The stored UBL files stay where they are: the moved
rows point to the same bytes."""

from typing import Any

from django_tenants.utils import schema_context

from dossiers.models import Contact

from .models import Document, DocumentAllowanceCharge, DocumentLine, Finding, InboxItem, NumberSequence


def move_documents(from_schema: str, old_dossier_id: int, to_schema: str, new_dossier_id: int) -> int:
    """Copy the documents with their lines, allowances and charges and findings, and the quick-entry inbox,
    into the new dossier; return how many documents arrived. A file the new dossier already holds (same sha256)
    is not copied again; drafts (no file yet) always are; holds (probable duplicates) are kept."""
    with schema_context(from_schema):
        documents: list[Any] = list(Document.objects.filter(dossier_id=old_dossier_id).values())
        findings: list[Any] = list(Finding.objects.filter(document__dossier_id=old_dossier_id).values())
        lines: list[Any] = list(DocumentLine.objects.filter(document__dossier_id=old_dossier_id).values())
        adjustments: list[Any] = list(
            DocumentAllowanceCharge.objects.filter(document__dossier_id=old_dossier_id).values()
        )
        inbox: list[Any] = list(InboxItem.objects.filter(dossier_id=old_dossier_id).values())
        customers: dict[int, Any] = {
            row["pk"]: row
            for row in Contact.objects.filter(
                pk__in={row["customer_id"] for row in documents if row["customer_id"]}
            ).values("pk", "vat_number", "reference", "name")
        }
        sequences: list[Any] = list(
            NumberSequence.objects.filter(dossier_id=old_dossier_id).values("year", "is_credit_note", "last")
        )
    with schema_context(to_schema):
        arrived: list[Any] = list(
            Contact.objects.filter(dossier_id=new_dossier_id, kind="customer").values(
                "pk", "vat_number", "reference", "name"
            )
        )
        present = dict(
            Document.objects.filter(dossier_id=new_dossier_id).exclude(ubl_sha256="").values_list("ubl_sha256", "pk")
        )
        new_ids: dict[Any, int] = {}
        created: list[tuple[Document, int | None, int | None]] = []
        for row in documents:
            old_id, duplicate_of, corrects = row.pop("id"), row.pop("duplicate_of_id"), row.pop("corrects_id")
            # Contacts arrived in the new firm with new ids (dossiers.linking moves them first).
            row["customer_id"] = _same_contact(customers.get(row["customer_id"]), arrived)
            if row["ubl_sha256"] and row["ubl_sha256"] in present:
                new_ids[old_id] = present[row["ubl_sha256"]]
                continue
            document = Document.objects.create(**{**row, "dossier_id": new_dossier_id})
            new_ids[old_id] = document.pk
            created.append((document, duplicate_of, corrects))
        for document, duplicate_of, corrects in created:
            document.duplicate_of_id = new_ids.get(duplicate_of)
            document.corrects_id = new_ids.get(corrects)
            document.save(update_fields=["duplicate_of", "corrects"])
        # Numbering continues where the old firm left it: no number is given twice.
        for sequence_row in sequences:
            sequence, _created = NumberSequence.objects.get_or_create(
                dossier_id=new_dossier_id, year=sequence_row["year"], is_credit_note=sequence_row["is_credit_note"]
            )
            last = sequence_row["last"]
            NumberSequence.objects.filter(pk=sequence.pk, last__lt=last).update(last=last)
        moved = {document.pk for document, _duplicate, _corrects in created}
        copies: list[tuple[Any, list[Any]]] = [
            (DocumentLine, lines),
            (DocumentAllowanceCharge, adjustments),
            (Finding, findings),
        ]
        for model, rows in copies:
            model.objects.bulk_create(
                [
                    model(
                        **{k: v for k, v in row.items() if k not in ("id", "document_id")},
                        document_id=new_ids[row["document_id"]],
                    )
                    for row in rows
                    if new_ids.get(row["document_id"]) in moved
                ]
            )
        waiting = set(InboxItem.objects.filter(dossier_id=new_dossier_id).values_list("sha256", flat=True))
        InboxItem.objects.bulk_create(
            [
                InboxItem(
                    **{k: v for k, v in row.items() if k not in ("id", "dossier_id", "document_id")},
                    dossier_id=new_dossier_id,
                    document_id=new_ids.get(row["document_id"]),
                )
                for row in inbox
                if row["sha256"] not in waiting
            ]
        )
    return len(created)


def _same_contact(contact: dict | None, candidates: list[dict]) -> int | None:
    """The new firm's contact that is `contact`: by VAT number, else own reference, else name."""
    if contact is None:
        return None
    for key in ("vat_number", "reference", "name"):
        if contact[key]:
            return next((row["pk"] for row in candidates if row[key] == contact[key]), None)
    return None
