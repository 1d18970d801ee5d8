"""Reading an amount a person typed (a form, a sheet, quick entry): one rule for the whole portal, on top of
`babel.numbers.parse_decimal`.

The Belgian rule: spaces group thousands; with both "." and "," the last one is the decimal separator; one
separator followed by exactly three digits ("1.250", "1,250") is ambiguous and asked again; any other single
separator is the decimal one. A number cell of a sheet (int, float, Decimal, or `NumberCell`) is taken as the
number it is. Never through float arithmetic.
"""

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Spaces that group digits: ordinary, no-break and narrow no-break (what Excel and Word put in).
SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
SHAPE = re.compile(r"[+-]?[0-9][0-9.,]*")


class AmountError(ValueError):
    """Not an amount, or one that can be read two ways (`code` "ambiguous"). The message is for the user."""

    def __init__(self, value, message: str, code: str = "invalid"):
        super().__init__(message)
        self.value = value
        self.message = message
        self.code = code


class NumberCell(str):
    """A sheet's number cell as text (for previews and messages) that remembers the number it is."""

    number: Decimal

    def __new__(cls, number: Decimal):
        text = super().__new__(cls, format(number, "f"))
        text.number = number
        return text


def number_of_cell(value: int | float | Decimal) -> NumberCell:
    """A number cell as read from a sheet: a float by its shortest representation (0.1 stays 0.1)."""
    return NumberCell(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


def parse_amount(value) -> Decimal:
    """The amount in `value`: '1.250,00', '1250,00', '1 250,00', '1250.5', '-12,5', '€ 85' or a number cell.
    Raises AmountError for anything else, with code "ambiguous" for '1.250' and '1,250'."""
    if isinstance(value, NumberCell):
        return value.number
    if isinstance(value, bool):
        raise AmountError(value, _("“%(value)s” is not an amount.") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        number = number_of_cell(value).number
        if not number.is_finite():
            raise AmountError(value, _("“%(value)s” is not an amount.") % {"value": value})
        return number
    text = SPACES.sub("", str(value)).replace("€", "").replace("EUR", "").strip()
    if not SHAPE.fullmatch(text):
        raise AmountError(value, _("“%(value)s” is not an amount.") % {"value": value})
    sign, digits = ("-" if text[0] == "-" else "", text[1:]) if text[0] in "+-" else ("", text)
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif digits.count(",") + digits.count(".") == 1:
        separator = "," if "," in digits else "."
        whole, decimals = digits.split(separator)
        if len(decimals) == 3 and len(whole) <= 3 and not whole.startswith("0"):
            raise AmountError(
                value,
                _(
                    "“%(value)s” could be read two ways: write 1250 or 1.250,00 for one thousand two hundred and "
                    "fifty, 1,25 for one and a quarter."
                )
                % {"value": value},
                code="ambiguous",
            )
        decimal_mark = separator
    else:  # no separator, or only one kind used several times: thousands ("1.250.000")
        decimal_mark = "," if "." in digits else "."
    group_mark = "." if decimal_mark == "," else ","
    # As nl_BE writes it, checked by babel (groups of three, one decimal mark).
    canonical = digits.replace(group_mark, "\0").replace(decimal_mark, ",").replace("\0", ".")
    try:
        number = parse_decimal(sign + canonical, locale="nl_BE", strict=True)
    except (NumberFormatError, InvalidOperation):
        raise AmountError(value, _("“%(value)s” is not an amount.") % {"value": value}) from None
    if not number.is_finite():
        raise AmountError(value, _("“%(value)s” is not an amount.") % {"value": value})
    return number


class AmountField(forms.DecimalField):
    """A form field reading an amount by `parse_amount` ("1.250" is asked again, with the reason). A text field
    with a decimal keypad: a number field would refuse the comma in most browsers."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AmountError as error:
            if error.code == "ambiguous":
                raise ValidationError(error.message, code="ambiguous") from None
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
