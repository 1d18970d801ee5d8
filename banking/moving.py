"""Moving a dossier's bank accounts, CODA files, statements and movements to another firm when its
entrepreneur accepts a link request (dossiers.linking calls this inside its transaction). The stored CODA bytes
stay where they are: the moved rows point to the same files."""

from django_tenants.utils import schema_context

from .models import BankAccount, CodaFile, CodaStatement, Movement


def _values(queryset) -> list[dict]:
    return list(queryset.values())


def move_banking(from_schema: str, old_dossier_id: int, to_schema: str, new_dossier_id: int) -> int:
    """Copy the accounts with their statements into the new dossier; return how many statements arrived. An
    account the new firm already keeps for this dossier receives the statements it lacks; an account the new
    firm keeps for another dossier stays behind (that firm must sort it out)."""
    with schema_context(from_schema):
        accounts = _values(BankAccount.objects.filter(dossier_id=old_dossier_id))
        files = _values(CodaFile.objects.filter(dossier_id=old_dossier_id))
        statements = _values(CodaStatement.objects.filter(account__dossier_id=old_dossier_id))
        movements = _values(Movement.objects.filter(statement__account__dossier_id=old_dossier_id))
    with schema_context(to_schema):
        account_ids: dict[int, int] = {}
        for row in accounts:
            old_id = row.pop("id")
            row["dossier_id"] = new_dossier_id
            existing = BankAccount.objects.filter(iban=row["iban"], currency=row["currency"]).first()
            if existing is None:
                existing = BankAccount.objects.create(**row)
            if existing.dossier_id == new_dossier_id:
                account_ids[old_id] = existing.pk
        present_files = dict(
            CodaFile.objects.filter(sha256__in=[f["sha256"] for f in files]).values_list("sha256", "pk")
        )
        file_ids: dict[int, int] = {}
        for row in files:
            old_id = row.pop("id")
            if row["sha256"] in present_files:
                file_ids[old_id] = present_files[row["sha256"]]
                continue
            file_ids[old_id] = CodaFile.objects.create(**{**row, "dossier_id": new_dossier_id}).pk
        present = set(
            CodaStatement.objects.filter(account_id__in=account_ids.values()).values_list(
                "account_id", "year", "number"
            )
        )
        moved: list[tuple[int, CodaStatement]] = []
        for row in statements:
            old_id = row.pop("id")
            account_id = account_ids.get(row["account_id"])
            if account_id is None or (account_id, row["year"], row["number"]) in present:
                continue
            row.update(account_id=account_id, coda_file_id=file_ids.get(row["coda_file_id"]))
            moved.append((old_id, CodaStatement(**row)))
        CodaStatement.objects.bulk_create([statement for _old, statement in moved])
        statement_ids = {old: statement.pk for old, statement in moved}
        Movement.objects.bulk_create(
            [
                Movement(
                    **{k: v for k, v in row.items() if k not in ("id", "statement_id")},
                    statement_id=statement_ids[row["statement_id"]],
                )
                for row in movements
                if row["statement_id"] in statement_ids
            ],
            batch_size=2000,
        )
    return len(moved)
