"""Units of measure on invoice lines."""

from django.utils.translation import gettext_lazy as _

# The units of measure people invoice in, as UN/ECE Recommendation 20 codes (what the UBL carries).
UNITS = [
    ("C62", _("piece")),
    ("HUR", _("hour")),
    ("DAY", _("day")),
    ("MON", _("month")),
    ("KGM", _("kg")),
    ("TNE", _("tonne")),
    ("LTR", _("litre")),
    ("MTR", _("metre")),
    ("MTK", _("m²")),
    ("MTQ", _("m³")),
    ("KMT", _("km")),
    ("SET", _("set")),
    ("LS", _("lump sum")),
]


def unit_label(code: str) -> str:
    """The unit's name in the active language, or its code when it is not one of ours."""
    return str(dict(UNITS).get(code, code))
