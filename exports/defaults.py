"""The firm's defaults for its dossiers' export settings: new dossiers (by hand, by sheet, moved in by a link
request) take them, dossiers follow a default unless they have their own value, and the BOB reference of a new
dossier comes from the firm's rule. Runs in the current firm's schema."""

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from documents.models import Document, DocumentStatus
from dossiers.models import AuditEntry, Dossier
from firms.models import recorded_user

from .models import DEFAULTED_FIELDS, BobReferenceRule, ExportDefaults, ExportSettings


def reference_by_rule(defaults: ExportDefaults, enterprise_number: str, from_sheet: str = "") -> str:
    """The Sage BOB reference a new dossier starts with: the sheet's value when it gives one, else the
    enterprise number under that rule, else none (set by hand later; nothing leaves meanwhile)."""
    if from_sheet:
        return from_sheet
    if defaults.bob_reference_rule == BobReferenceRule.ENTERPRISE_NUMBER:
        return enterprise_number
    return ""


def own_fields(values: dict, defaults: ExportDefaults) -> list[str]:
    """The defaulted settings among `values` that differ from the firm's default: the dossier's own."""
    return sorted(name for name in DEFAULTED_FIELDS if name in values and values[name] != getattr(defaults, name))


def new_settings(dossier: Dossier, defaults: ExportDefaults, *, bob_reference: str = "", **own) -> ExportSettings:
    """Unsaved settings for a new dossier: the firm's defaults, overridden by `own` values."""
    values = {**defaults.values(), **own}
    return ExportSettings(
        dossier=dossier,
        bob_reference=reference_by_rule(defaults, dossier.enterprise_number, bob_reference),
        own_fields=own_fields(own, defaults),
        **values,
    )


def create_settings_for(dossiers: list[Dossier], per_dossier: dict[int, dict] | None = None) -> None:
    """Give new dossiers their settings (those that have some keep them). `per_dossier` holds, by dossier id,
    values from a sheet (bob_reference and own settings)."""
    defaults = ExportDefaults.current()
    per_dossier = per_dossier or {}
    ExportSettings.objects.bulk_create(
        [new_settings(dossier, defaults, **per_dossier.get(dossier.pk, {})) for dossier in dossiers],
        ignore_conflicts=True,
        batch_size=1000,
    )


def ensure_settings_after_move(_from_schema: str, _old_id: int, to_schema: str, new_id: int) -> int:
    """Link-request mover: the dossier that moved in has the asking firm's defaults (the old firm's settings,
    its BOB reference above all, mean nothing here). Returns 1 when settings were created."""
    with schema_context(to_schema):
        dossier = Dossier.objects.get(pk=new_id)
        if ExportSettings.objects.filter(dossier=dossier).exists():
            return 0
        create_settings_for([dossier])
        return 1


def save_defaults(values: dict, actor) -> dict[str, int]:
    """Store the firm's defaults; every dossier that follows a changed default changes with it (one
    transaction, an audit entry per dossier that changed). Returns the number of dossiers changed per field."""
    defaults = ExportDefaults.current()
    changed = [name for name in DEFAULTED_FIELDS if name in values and values[name] != getattr(defaults, name)]
    counts: dict[str, int] = {}
    with transaction.atomic():
        for name, value in values.items():
            setattr(defaults, name, value)
        defaults.pk = 1
        defaults.save()
        touched: dict[int, list[str]] = {}
        for name in changed:
            following = ExportSettings.objects.exclude(own_fields__contains=[name]).exclude(**{name: values[name]})
            ids = list(following.values_list("dossier_id", flat=True))
            ExportSettings.objects.filter(dossier_id__in=ids).update(**{name: values[name]})
            counts[name] = len(ids)
            for dossier_id in ids:
                touched.setdefault(dossier_id, []).append(name)
        if values.get("lock_after_export") and "lock_after_export" in changed:
            lock_exported(pk for pk, names in touched.items() if "lock_after_export" in names)
        dossiers = Dossier.objects.in_bulk(list(touched))
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    dossier=dossiers[pk],
                    enterprise_number=dossiers[pk].enterprise_number,
                    actor=recorded_user(actor),
                    action="export_settings_changed",
                    detail={"fields": names, "source": "firm_defaults"},
                )
                for pk, names in touched.items()
            ],
            batch_size=1000,
        )
    return counts


def update_settings_from_sheet(changes: dict[int, dict]) -> None:
    """Sheet values for existing dossiers, by dossier id: stored on their settings (made from the firm's
    defaults where missing); a defaulted setting becomes the dossier's own when it differs from the default."""
    changes = {pk: values for pk, values in changes.items() if values}
    if not changes:
        return
    defaults = ExportDefaults.current()
    now = timezone.now()
    create_settings_for(list(Dossier.objects.filter(pk__in=changes, export_settings__isnull=True)))
    rows = ExportSettings.objects.select_for_update().filter(dossier_id__in=changes)
    changed = []
    for chosen in rows:
        values = changes[chosen.dossier_id]
        for name, value in values.items():
            setattr(chosen, name, value)
        own = set(chosen.own_fields) - set(values) | set(own_fields(values, defaults))
        chosen.own_fields = sorted(own)
        chosen.updated_at = now
        changed.append(chosen)
    ExportSettings.objects.bulk_update(
        changed, ["bob_reference", *DEFAULTED_FIELDS, "own_fields", "updated_at"], batch_size=1000
    )
    lock_exported([pk for pk, values in changes.items() if values.get("lock_after_export")])


def lock_exported(dossier_ids) -> None:
    """Lock after export switched on: what was exported before is locked too, not only what leaves from now."""
    Document.objects.filter(dossier_id__in=list(dossier_ids), status=DocumentStatus.EXPORTED, locked=False).update(
        locked=True
    )
