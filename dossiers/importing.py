"""The Excel import engine shared by dossiers, customers, suppliers and products: check every row, plan
create / update / unchanged / error without writing, then apply the plan in one transaction.

A `Spec` says, for one kind of record, which columns exist, how a row becomes clean values (or errors),
which key identifies an existing record, and what else to write alongside (directory, audit).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError

from .excel import Column, SheetRow


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Change:
    column: str  # the header the user sees in the sheet
    old: str
    new: str


@dataclass
class RowChanges:
    """One row to update, as the preview shows it: which record, and old → new per changed column."""

    label: str
    changes: list[Change]


@dataclass
class ImportPlan:
    creates: list[dict] = field(default_factory=list)
    updates: list[tuple[int, dict, list[str]]] = field(default_factory=list)  # (pk, values, changed fields)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # dossiers only: numbers with an account elsewhere
    changes: list[RowChanges] = field(default_factory=list)  # one per update, in the same order
    # dossiers only: (formatted enterprise number, name) of each new row whose entrepreneur has an account elsewhere
    elsewhere_named: list[tuple[str, str]] = field(default_factory=list)


class Spec(ABC):
    """One kind of imported record. Subclasses fill in the blanks."""

    model: Any = None  # the Django model of the records
    # Keys of cleaned values that are not fields of `model` (written alongside by `write_side`).
    side_fields: tuple[str, ...] = ()

    @abstractmethod
    def columns(self) -> list[Column]: ...

    @abstractmethod
    def clean(self, values: dict[str, str], fail) -> dict | None:
        """Clean values of one row, calling `fail(column_key, message)` for each problem."""

    @abstractmethod
    def keys(self, cleaned: dict) -> list:
        """The keys that identify this record (the first that matches an existing record wins)."""

    @abstractmethod
    def existing(self) -> dict:
        """Existing records by every key `keys` can produce."""

    def build(self, cleaned: dict):
        return self.model(**{name: value for name, value in cleaned.items() if name not in self.side_fields})

    def current(self, record, name: str):
        """The stored value a cleaned value is compared with (side fields: override)."""
        return getattr(record, name)

    def write_side(self, created: list[tuple], updates: list) -> None:
        """Write the side fields: `created` pairs (record, cleaned values), `updates` as in the plan."""
        return None

    def after_apply(self, created: list, updates: list, actor) -> None:
        """Write what goes with the records (audit, directory); runs inside the import's transaction."""
        return None

    def label(self, cleaned: dict) -> str:
        """How the preview names a record to update."""
        return str(cleaned.get("name") or next(iter(self.keys(cleaned)), ("", ""))[1])

    def shown(self, name: str, value) -> str:
        """A stored or cleaned value as the preview shows it."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        label = getattr(value, "label", None)
        return str(label if label is not None else value)

    def finish_plan(self, plan: ImportPlan) -> None:
        """Add information to a finished plan (runs once, so it can afford one query)."""
        return None


def plan_import(spec: Spec, rows: list[SheetRow]) -> ImportPlan:
    """Check every row and decide what it would do. Writes nothing."""
    headers = {column.key: column.header for column in spec.columns()}
    existing = spec.existing()
    plan = ImportPlan()
    seen: dict = {}
    for row in rows:
        errors: list[RowError] = []

        def fail(key: str, message: str, row=row, errors=errors):
            errors.append(RowError(row.number, headers[key], message))

        for key in row.formulas:
            fail(key, _("A formula is not allowed here; enter the value itself."))

        def fail_unless_formula(key: str, message: str, row=row, fail=fail):
            if key not in row.formulas:  # one message per cell: the formula's
                fail(key, message)

        values = {key: row.values.get(key, "") for key in headers}
        cleaned = spec.clean(values, fail_unless_formula)
        if cleaned is not None and not errors:
            for key in spec.keys(cleaned):
                if key in seen:
                    fail(key[0], _("The same value is on row %(row)s.") % {"row": seen[key]})
        if errors or cleaned is None:
            plan.errors.extend(errors)
            continue
        record = next((existing[key] for key in spec.keys(cleaned) if key in existing), None)
        for key in spec.keys(cleaned):
            seen[key] = row.number
        if record is None:
            plan.creates.append(cleaned)
            continue
        changed = [name for name, value in cleaned.items() if spec.current(record, name) != value]
        if changed:
            plan.updates.append((record.pk, cleaned, changed))
            plan.changes.append(
                RowChanges(
                    spec.label(cleaned),
                    [
                        Change(
                            headers.get(name) or headers.get(name.removesuffix("_id")) or name,
                            spec.shown(name, spec.current(record, name)),
                            spec.shown(name, cleaned[name]),
                        )
                        for name in changed
                    ],
                )
            )
        else:
            plan.unchanged += 1
    spec.finish_plan(plan)
    return plan


def summary_lines(plan: ImportPlan) -> list[str]:
    """What an import command prints before applying: the counts, each row's error, accounts elsewhere."""
    lines = [
        f"to create: {len(plan.creates)}",
        f"to update: {len(plan.updates)}",
        f"unchanged: {plan.unchanged}",
        f"errors: {len(plan.errors)}",
        *(f"row {error.row}: {error.column}: {error.message}" for error in plan.errors),
    ]
    lines += [
        f"{row.label}: {change.column}: {change.old or '-'} -> {change.new or '-'}"
        for row in plan.changes
        for change in row.changes
    ]
    if plan.elsewhere:
        lines.append(f"with an account at another firm: {len(plan.elsewhere)}")
        lines += [f"  {number} {name}: send a link request after import" for number, name in plan.elsewhere_named]
    return lines


def apply_import(spec: Spec, plan: ImportPlan, actor) -> tuple[int, int]:
    """Write a plan in one transaction; return (created, updated). A plan with errors is refused whole."""
    if plan.errors:
        raise PortalError(_("Correct the rows with errors first; nothing was imported."), code=ErrorCode.INVALID)
    with transaction.atomic():
        created = spec.model.objects.bulk_create([spec.build(values) for values in plan.creates], batch_size=1000)
        stamp = {"updated_at": timezone.now()} if hasattr(spec.model, "updated_at") else {}
        for pk, values, changed in plan.updates:
            own = {name: values[name] for name in changed if name not in spec.side_fields}
            if own:
                spec.model.objects.filter(pk=pk).update(**own, **stamp)
        spec.write_side(list(zip(created, plan.creates, strict=True)), plan.updates)
        spec.after_apply(created, plan.updates, actor)
    return len(created), len(plan.updates)


def clean_optional_email(value: str, fail) -> str:
    value = value.strip().lower()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            fail(_("“%(value)s” is not a valid email address.") % {"value": value})
    return value


def clean_language(value: str, fail) -> str:
    language = (value or "nl").strip().lower()
    if language not in ("nl", "fr", "en"):
        fail(_("Use nl, fr or en."))
    return language
