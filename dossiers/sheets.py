"""The columns of the dossiers sheet (import template and export), and the rows of the current dossiers."""

from dataclasses import replace

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.identifiers import format_enterprise_number
from exports.models import ExportDefaults, ExportSettings, Policy

from .excel import Column
from .models import Dossier


def with_aliases(build) -> list[Column]:
    """The columns in the active language, each also recognising its header in every interface language, so
    that a sheet made in Dutch imports on a French screen."""
    columns = build()
    headers: dict[str, set[str]] = {column.key: set() for column in columns}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in build():
                headers[column.key].update((column.header, *column.aliases))
    return [replace(column, aliases=tuple(sorted(headers[column.key]))) for column in columns]


def dossier_columns() -> list[Column]:
    return with_aliases(_dossier_columns)


def _dossier_columns() -> list[Column]:
    return [
        Column(
            "enterprise_number", _("Enterprise number"), True, _("10 digits, e.g. 0403.170.701"), example="0403.170.701"
        ),
        Column("name", _("Name"), True, _("The client business's name"), example="Bakkerij Peeters"),
        Column("legal_form", _("Legal form"), note=_("e.g. BV, NV, VOF, sole trader"), example="BV"),
        Column("street", _("Street and number"), example="Kerkstraat 1"),
        Column("postal_code", _("Postal code"), example="9000"),
        Column("city", _("City"), example="Gent"),
        Column("country", _("Country"), note=_("Two letters, default BE"), example="BE"),
        Column(
            "email",
            _("Entrepreneur's email"),
            note=_("The invitation goes to this address"),
            example="info@bakkerij-peeters.example",
        ),
        Column("language", _("Language"), note="nl, fr, en", choices=("nl", "fr", "en"), example="nl"),
        Column(
            "assigned_to",
            _("Assigned staff email"),
            note=_("Email of a member of the firm"),
            example="",
            aliases=(_("Assigned staff member"),),
        ),
        Column(
            "bob_reference",
            _("Sage BOB reference"),
            note=_("The dossier's folder under BOB50DATA: letters and digits, no spaces. Empty: nothing is exported."),
            example="PEETERS",
        ),
        Column(
            "policy",
            _("Export policy"),
            note=_("Empty: the firm's default"),
            choices=tuple(str(label) for label in Policy.labels),
            example=str(Policy.LAST_FULL_MONTH.label),
        ),
        Column(
            "needs_approval", _("Approval required"), note=_("yes or no; empty: the firm's default"), choices=YES_NO()
        ),
        Column(
            "lock_after_export",
            _("Lock after export"),
            note=_("yes or no; empty: the firm's default"),
            choices=YES_NO(),
        ),
        Column(
            "export_uploaded_coda",
            _("Also export uploaded CODA statements"),
            note=_("yes or no; empty: the firm's default"),
            choices=YES_NO(),
        ),
    ]


def YES_NO() -> tuple[str, str]:  # noqa: N802 - a constant in the active language
    return (_("yes"), _("no"))


# Policy values in every interface language's drop-down, plus the words the command line uses.
POLICY_WORDS = {
    "never": Policy.NEVER,
    "last_month": Policy.LAST_FULL_MONTH,
    "after_10_minutes": Policy.AFTER_TEN_MINUTES,
}


def policy_words() -> dict[str, str]:
    words = {key: str(value) for key, value in POLICY_WORDS.items()} | {value: value for value in Policy.values}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words.update({str(label).lower(): value for value, label in Policy.choices})
    return {word.lower(): value for word, value in words.items()}


def yes_no_words() -> dict[str, bool]:
    words = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False, "y": True, "n": False}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words.update({_("yes").lower(): True, _("no").lower(): False})
    return words


def dossier_rows():
    defaults = ExportDefaults.current()
    policy_label = dict(Policy.choices)
    yes, no = YES_NO()
    dossiers = Dossier.objects.select_related("assigned_to", "export_settings").order_by("name")
    for dossier in dossiers.iterator(chunk_size=1000):
        chosen = getattr(dossier, "export_settings", None) or ExportSettings(**defaults.values())
        yield {
            "bob_reference": chosen.bob_reference,
            "policy": str(policy_label[chosen.policy]),
            "needs_approval": yes if chosen.needs_approval else no,
            "lock_after_export": yes if chosen.lock_after_export else no,
            "export_uploaded_coda": yes if chosen.export_uploaded_coda else no,
            "enterprise_number": format_enterprise_number(dossier.enterprise_number),
            "name": dossier.name,
            "legal_form": dossier.legal_form,
            "street": dossier.street,
            "postal_code": dossier.postal_code,
            "city": dossier.city,
            "country": dossier.country,
            "email": dossier.email,
            "language": dossier.language,
            "assigned_to": dossier.assigned_to.email if dossier.assigned_to else "",
        }
