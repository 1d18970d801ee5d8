"""The columns of the dossiers sheet (import template and export), and the rows of the current dossiers."""

from dataclasses import replace

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.identifiers import format_enterprise_number

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
                headers[column.key].add(column.header)
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
        Column("assigned_to", _("Assigned staff member"), note=_("Email of a member of the firm"), example=""),
    ]


def dossier_rows():
    for dossier in Dossier.objects.select_related("assigned_to").order_by("name").iterator(chunk_size=1000):
        yield {
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
