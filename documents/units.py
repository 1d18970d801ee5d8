"""Units of measure on invoice lines."""

from decimal import Decimal

from django.utils.translation import get_language, npgettext
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


# The unit after a quantity ("1 piece", "10 pieces"), singular and plural per language. Written out call by
# call so makemessages finds every pair; the context keeps them apart from the unit names above.
COUNTED = {
    "C62": lambda n: npgettext("quantity", "piece", "pieces", n),
    "HUR": lambda n: npgettext("quantity", "hour", "hours", n),
    "DAY": lambda n: npgettext("quantity", "day", "days", n),
    "MON": lambda n: npgettext("quantity", "month", "months", n),
    "KGM": lambda n: npgettext("quantity", "kg", "kg", n),
    "TNE": lambda n: npgettext("quantity", "tonne", "tonnes", n),
    "LTR": lambda n: npgettext("quantity", "litre", "litres", n),
    "MTR": lambda n: npgettext("quantity", "metre", "metres", n),
    "MTK": lambda n: npgettext("quantity", "m²", "m²", n),
    "MTQ": lambda n: npgettext("quantity", "m³", "m³", n),
    "KMT": lambda n: npgettext("quantity", "km", "km", n),
    "SET": lambda n: npgettext("quantity", "set", "sets", n),
    "LS": lambda n: npgettext("quantity", "lump sum", "lump sums", n),
}


def plural_count(quantity) -> int:
    """The whole number gettext's plural rule is asked about for a quantity that may have decimals. A fraction
    counts as plural ("1,5 stuks"), except in French, where anything below 2 is singular ("1,5 pièce")."""
    quantity = abs(Decimal(quantity))
    if quantity == quantity.to_integral_value():
        return int(quantity)
    if (get_language() or "").startswith("fr") and quantity < 2:
        return 1
    return 2


def counted_unit_label(code: str, quantity) -> str:
    """The unit's name after this quantity, in the active language: "10 pièces", "1 stuk"."""
    counted = COUNTED.get(code)
    return counted(plural_count(quantity)) if counted else unit_label(code)
