"""Changing the export settings of many dossiers at once (the dossiers list, `manage.py dossier_settings`): a
preview that counts what would change, then one transaction with an audit entry per changed dossier. Large
changes run in a worker and report progress through the cache. Runs in the current firm's schema."""

import uuid
from dataclasses import asdict, dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError
from dossiers.models import AuditEntry, Dossier
from firms.models import recorded_user

from . import layout
from .defaults import create_settings_for, lock_exported
from .models import DEFAULTED_FIELDS, ExportDefaults, ExportSettings

IN_THE_BACKGROUND_ABOVE = 300  # dossiers; fewer are changed within the request
PROGRESS_SECONDS = 3600
CHUNK = 500


@dataclass(frozen=True)
class BulkChange:
    """What to change; None leaves a setting as it is. `overwrite_own`: also change dossiers that have their
    own value (else they keep it)."""

    policy: str | None = None
    needs_approval: bool | None = None
    lock_after_export: bool | None = None
    name_by_invoice_date: bool | None = None
    export_uploaded_coda: bool | None = None
    bob_reference: str | None = None  # one value: for one dossier only
    bob_reference_from_enterprise_number: bool = False
    overwrite_own: bool = False

    def settings(self) -> dict:
        return {name: getattr(self, name) for name in DEFAULTED_FIELDS if getattr(self, name) is not None}

    @property
    def is_empty(self) -> bool:
        return not self.settings() and self.bob_reference is None and not self.bob_reference_from_enterprise_number


@dataclass
class Preview:
    dossiers: int = 0
    # Per setting name: dossiers that change, that already have the value, that keep their own.
    change: dict[str, int] = field(default_factory=dict)
    same: dict[str, int] = field(default_factory=dict)
    keep_own: dict[str, int] = field(default_factory=dict)
    changing_dossiers: int = 0


def _rows(dossier_ids: list[int]) -> dict[int, dict]:
    """Current settings per dossier (the firm's defaults, no reference, for dossiers without a row)."""
    defaults = ExportDefaults.current()
    base = {**defaults.values(), "bob_reference": "", "own_fields": [], "exists": False}
    rows = {pk: {**base, "enterprise_number": number} for pk, number in _numbers(dossier_ids)}
    for values in ExportSettings.objects.filter(dossier_id__in=dossier_ids).values(
        "dossier_id", "bob_reference", "own_fields", *DEFAULTED_FIELDS
    ):
        rows[values.pop("dossier_id")].update(values, exists=True)
    return rows


def _numbers(dossier_ids: list[int]):
    return Dossier.objects.filter(pk__in=dossier_ids).values_list("pk", "enterprise_number")


def _check(change: BulkChange, dossier_ids: list[int]) -> None:
    """Refuses an empty change and a reference that is not valid, for several dossiers, or another's folder."""
    if change.is_empty:
        raise PortalError(_("Choose at least one setting to change."), code=ErrorCode.INCOMPLETE)
    if change.bob_reference is not None:
        try:
            layout.clean_bob_reference(change.bob_reference)
        except layout.LayoutError as error:
            raise PortalError(str(error), "bob_reference", code=ErrorCode.INVALID) from None
        if len(dossier_ids) > 1:
            raise PortalError(
                _("One Sage BOB reference is one dossier's folder: set it for one dossier at a time."),
                "bob_reference",
                code=ErrorCode.INVALID,
            )
        if (
            ExportSettings.objects.filter(bob_reference__iexact=change.bob_reference)
            .exclude(dossier_id__in=dossier_ids)
            .exists()
        ):
            raise PortalError(
                _("The reference %(reference)s is already another dossier's folder.")
                % {"reference": change.bob_reference},
                "bob_reference",
                code=ErrorCode.TAKEN,
            )


def _plan(change: BulkChange, rows: dict[int, dict]) -> tuple[Preview, dict[int, dict]]:
    """Count and compute the new values per dossier: {dossier id: {name: value}} for those that change."""
    preview = Preview(dossiers=len(rows))
    updates: dict[int, dict] = {}
    wanted = change.settings()
    for pk, row in rows.items():
        for name, value in wanted.items():
            if row[name] == value:
                preview.same[name] = preview.same.get(name, 0) + 1
            elif name in row["own_fields"] and not change.overwrite_own:
                preview.keep_own[name] = preview.keep_own.get(name, 0) + 1
            else:
                preview.change[name] = preview.change.get(name, 0) + 1
                updates.setdefault(pk, {})[name] = value
        reference = row["enterprise_number"] if change.bob_reference_from_enterprise_number else change.bob_reference
        if reference is not None:
            if row["bob_reference"] == reference:
                preview.same["bob_reference"] = preview.same.get("bob_reference", 0) + 1
            elif row["bob_reference"] and change.bob_reference is None and not change.overwrite_own:
                preview.keep_own["bob_reference"] = preview.keep_own.get("bob_reference", 0) + 1
            else:
                preview.change["bob_reference"] = preview.change.get("bob_reference", 0) + 1
                updates.setdefault(pk, {})["bob_reference"] = reference
    preview.changing_dossiers = len(updates)
    return preview, updates


def preview_change(dossier_ids: list[int], change: BulkChange) -> Preview:
    """What `apply_change` would do, counted; writes nothing."""
    _check(change, dossier_ids)
    return _plan(change, _rows(dossier_ids))[0]


def apply_change(dossier_ids: list[int], change: BulkChange, actor, job: str | None = None) -> Preview:
    """Change the dossiers' settings in one transaction (all or nothing), an audit entry per changed dossier.
    A defaulted setting that ends up different from the firm's default is the dossier's own; equal to it, the
    dossier follows the default again. With `job`, progress is reported (see `progress`)."""
    _check(change, dossier_ids)
    defaults = ExportDefaults.current()
    now = timezone.now()
    with transaction.atomic():
        # Lock the rows first so that two bulk changes (or a change and the dossier page) do not interleave.
        list(ExportSettings.objects.select_for_update().filter(dossier_id__in=dossier_ids).values_list("pk"))
        rows = _rows(dossier_ids)
        preview, updates = _plan(change, rows)
        create_settings_for(list(Dossier.objects.filter(pk__in=[pk for pk in updates if not rows[pk]["exists"]])))
        ids = list(updates)
        _write(updates, {pk: rows[pk]["own_fields"] for pk in ids}, defaults, change, now)
        actor_user = recorded_user(actor)
        for start in range(0, len(ids), CHUNK):
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        dossier_id=pk,
                        enterprise_number=rows[pk]["enterprise_number"],
                        actor=actor_user,
                        action="export_settings_changed",
                        detail={"changes": updates[pk], "source": "bulk"},
                        created_at=now,
                    )
                    for pk in ids[start : start + CHUNK]
                ]
            )
            if job:
                _report(job, done=min(start + CHUNK, len(ids)), total=len(ids))
        lock_exported(pk for pk, values in updates.items() if values.get("lock_after_export"))
    if job:
        _report(job, done=len(ids), total=len(ids), finished=True, preview=asdict(preview))
    return preview


def _write(updates: dict[int, dict], own_before: dict[int, list], defaults, change: BulkChange, now) -> None:
    """Store the new values: one UPDATE per group of dossiers that end up alike (a bulk change gives most of them
    the same values), and the references from the enterprise numbers in one UPDATE."""
    groups: dict[tuple, list[int]] = {}
    for pk, values in updates.items():
        settings_values = {name: value for name, value in values.items() if name in DEFAULTED_FIELDS}
        own = set(own_before[pk])
        for name, value in settings_values.items():
            (own.add if value != getattr(defaults, name) else own.discard)(name)
        key = (tuple(sorted(settings_values.items())), tuple(sorted(own)))
        groups.setdefault(key, []).append(pk)
    for (settings_values, own), ids in groups.items():
        ExportSettings.objects.filter(dossier_id__in=ids).update(
            **dict(settings_values), own_fields=list(own), updated_at=now
        )
    referenced = [pk for pk, values in updates.items() if "bob_reference" in values]
    if referenced and change.bob_reference_from_enterprise_number:
        number = Dossier.objects.filter(pk=OuterRef("dossier_id")).values("enterprise_number")[:1]
        ExportSettings.objects.filter(dossier_id__in=referenced).update(bob_reference=Subquery(number))
    elif referenced:
        ExportSettings.objects.filter(dossier_id__in=referenced).update(bob_reference=change.bob_reference)


def _key(job: str) -> str:
    return f"bulk-change:{job}"


def _report(job: str, **state) -> None:
    cache.set(_key(job), state, PROGRESS_SECONDS)


def start_change(dossier_ids: list[int], change: BulkChange, actor) -> str | None:
    """Apply now (returns None) or, above IN_THE_BACKGROUND_ABOVE dossiers, in a worker (returns the job id
    whose `progress` the page shows). Checks the change before anything is queued."""
    _check(change, dossier_ids)
    if len(dossier_ids) <= IN_THE_BACKGROUND_ABOVE:
        apply_change(dossier_ids, change, actor)
        return None
    from .tasks import apply_bulk_change

    job = uuid.uuid4().hex
    _report(job, done=0, total=len(dossier_ids))
    actor_id = actor.pk if recorded_user(actor) else None
    transaction.on_commit(lambda: apply_bulk_change.delay(dossier_ids, asdict(change), actor_id, job))
    return job


def progress(job: str) -> dict | None:
    """{done, total, finished?, preview?} of a background change; None when unknown (expired)."""
    return cache.get(_key(job))
