"""A dossier's history in words: each audit entry as a sentence in the reader's language (never its code), and
runs of the same thing in a row grouped into one line ("12 × Document INV-7 received"). No query of its own."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AuditEntry, Dossier

GROUP_FROM = 3  # this many entries of one kind in a row become one line


@dataclass
class HistoryLine:
    text: str
    at: datetime
    count: int = 1
    since: datetime | None = None  # the oldest entry of a group


def _field_names(names) -> str:
    labels = []
    for name in names or []:
        try:
            field = Dossier._meta.get_field(name.removesuffix("_id"))
            labels.append(str(getattr(field, "verbose_name", name)))
        except Exception:
            labels.append(name.replace("_", " "))
    return ", ".join(labels)


def describe(entry: AuditEntry, actor: str) -> str:
    """One entry as a sentence; `actor` is the person's name ("" for the system)."""
    d = entry.detail or {}
    by = {"who": actor or _("the portal")}
    sentences = {
        "created": lambda: _("Added by %(who)s") % by,
        "imported": lambda: _("Added from the dossier sheet by %(who)s") % by,
        "updated": lambda: (
            (
                _("Changed from the dossier sheet by %(who)s: %(fields)s")
                if d.get("source") == "excel"
                else _("Changed by %(who)s: %(fields)s")
            )
            % {**by, "fields": _field_names(d.get("fields"))}
        ),
        "invited": lambda: _("Invited by %(who)s (%(email)s)") % {**by, "email": d.get("email", "")},
        "activated": lambda: _("The entrepreneur activated their account"),
        "archived": lambda: _("Archived by %(who)s") % by,
        "unarchived": lambda: _("Brought back from the archive by %(who)s") % by,
        "opened_as_entrepreneur": lambda: _("%(who)s opened the entrepreneur's view") % by,
        "closed_entrepreneur_view": lambda: _("%(who)s went back to the accountant's view") % by,
        "link_requested": lambda: _("Link request sent by %(who)s") % by,
        "moved_in": lambda: _("Moved in from another firm"),
        "moved_out": lambda: _("Moved to another firm"),
        "export_settings_changed": lambda: (
            (
                _("Export settings changed with the firm's defaults")
                if d.get("source") == "firm_defaults"
                else _("Export settings changed by %(who)s (several dossiers at once)")
                if d.get("source") == "bulk"
                else _("Export settings changed by %(who)s")
            )
            % by
        ),
        "exported_by_hand": lambda: (
            ngettext(
                "Exported by hand by %(who)s: %(n)d file", "Exported by hand by %(who)s: %(n)d files", d.get("items", 0)
            )
            % {**by, "n": d.get("items", 0)}
        ),
        "submitted_for_export": lambda: (
            ngettext(
                "%(n)d document submitted for export by %(who)s",
                "%(n)d documents submitted for export by %(who)s",
                d.get("documents", 0),
            )
            % {**by, "n": d.get("documents", 0)}
        ),
        "export_item_requeued": lambda: _("Failed delivery sent again by %(who)s") % by,
        "document_finalised": lambda: _("Invoice %(number)s made by %(who)s") % {**by, "number": d.get("number", "")},
        "document_confirmed": lambda: (
            _("Document %(number)s confirmed by %(who)s") % {**by, "number": d.get("number", "")}
        ),
        "document_deleted": lambda: _("Document %(number)s deleted by %(who)s") % {**by, "number": d.get("number", "")},
        "document_imported": lambda: _("Document %(number)s received") % {"number": d.get("number", "")},
        "document_exported_anyway": lambda: (
            _("Document %(number)s exported anyway by %(who)s: “%(reason)s”")
            % {**by, "number": d.get("number", ""), "reason": d.get("reason", "")}
        ),
        "document_moved_in": lambda: (
            _("Document %(number)s moved in from %(source)s by %(who)s")
            % {**by, "number": d.get("number", ""), "source": d.get("source", "")}
        ),
        "document_moved_out": lambda: (
            _("Document %(number)s moved to %(target)s by %(who)s")
            % {**by, "number": d.get("number", ""), "target": d.get("to", "")}
        ),
        "bank_account_added": lambda: _("Bank account %(iban)s added") % {"iban": d.get("iban", "")},
        "bank_account_changed": lambda: _("Bank account %(iban)s changed") % {"iban": d.get("iban", "")},
        "coda_received": lambda: _coda(d),
    }
    sentence = sentences.get(entry.action)
    return sentence() if sentence else _("Changed by %(who)s") % by


def _coda(d: dict) -> str:
    numbers = d.get("numbers")
    if numbers:
        return ngettext("CODA statement %(numbers)s received", "CODA statements %(numbers)s received", len(numbers)) % {
            "numbers": ", ".join(str(n) for n in numbers)
        }
    count = d.get("statements", 1)
    return ngettext("%(n)d CODA statement received", "%(n)d CODA statements received", count) % {"n": count}


def _name(entry: AuditEntry) -> str:
    actor = entry.actor  # loaded with the entries (select_related): no query per entry
    return (actor.full_name or actor.email) if actor else ""


def history(entries: list[AuditEntry]) -> list[HistoryLine]:
    """The entries (newest first, with `select_related("actor")`) as lines: runs of GROUP_FROM or more of one
    kind in a row become one line."""
    runs: list[list[AuditEntry]] = []
    for entry in entries:
        if runs and runs[-1][0].action == entry.action:
            runs[-1].append(entry)
        else:
            runs.append([entry])
    lines = []
    for run in runs:
        if len(run) >= GROUP_FROM:
            lines.append(HistoryLine(describe(run[0], _name(run[0])), run[0].created_at, len(run), run[-1].created_at))
        else:
            lines.extend(HistoryLine(describe(entry, _name(entry)), entry.created_at) for entry in run)
    return lines
