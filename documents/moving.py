"""Moving a dossier's documents to another firm when its entrepreneur accepts a link request
(dossiers.linking calls this inside its transaction). The stored UBL files stay where they are: the moved
rows point to the same bytes."""

from django_tenants.utils import schema_context

from .models import Document, Finding


def move_documents(from_schema: str, old_dossier_id: int, to_schema: str, new_dossier_id: int) -> int:
    """Copy the documents and their findings into the new dossier; return how many arrived. A file the new
    dossier already holds (same sha256) is not copied again; holds (probable duplicates) are kept."""
    with schema_context(from_schema):
        documents = list(Document.objects.filter(dossier_id=old_dossier_id).values())
        findings = list(Finding.objects.filter(document__dossier_id=old_dossier_id).values())
    with schema_context(to_schema):
        present = dict(Document.objects.filter(dossier_id=new_dossier_id).values_list("ubl_sha256", "pk"))
        new_ids: dict[int, int] = {}
        created: list[tuple[Document, int | None]] = []
        for row in documents:
            old_id, duplicate_of = row.pop("id"), row.pop("duplicate_of_id")
            if row["ubl_sha256"] in present:
                new_ids[old_id] = present[row["ubl_sha256"]]
                continue
            document = Document.objects.create(**{**row, "dossier_id": new_dossier_id})
            new_ids[old_id] = document.pk
            created.append((document, duplicate_of))
        for document, duplicate_of in created:
            if duplicate_of in new_ids:
                document.duplicate_of_id = new_ids[duplicate_of]
                document.save(update_fields=["duplicate_of"])
        moved = {document.pk for document, _duplicate in created}
        Finding.objects.bulk_create([
            Finding(**{k: v for k, v in row.items() if k not in ("id", "document_id")},
                    document_id=new_ids[row["document_id"]])
            for row in findings if new_ids.get(row["document_id"]) in moved
        ])
    return len(created)
