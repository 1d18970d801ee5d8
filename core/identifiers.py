"""Belgian identifiers (enterprise number, VAT number) and IBAN: validation and normal forms.

Pure functions on strings; `python-stdnum` does the checksums (mod-97 for the enterprise number,
ISO 7064 mod-97-10 for the IBAN). Each `clean_*` returns the compact form or raises ValidationError
with a message in the active language.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.be import vat as stdnum_be_vat
from stdnum.exceptions import ValidationError as StdnumError


def clean_enterprise_number(value: str) -> str:
    """Return the 10-digit enterprise number (KBO/BCE), e.g. '0403170701'.

    Accepts '0403.170.701', '403170701', 'BE 0403 170 701'. Refuses anything whose mod-97 check fails.
    """
    raw = (value or "").strip()
    try:
        return stdnum_be_vat.validate(raw)
    except StdnumError:
        raise ValidationError(
            _("“%(value)s” is not a valid Belgian enterprise number (10 digits, e.g. 0403.170.701).") % {"value": raw},
            code="invalid_enterprise_number",
        ) from None


def clean_vat_number(value: str) -> str:
    """Return a Belgian VAT number as 'BE' + 10 digits; refuses other countries' numbers and bad checksums."""
    raw = (value or "").strip()
    compact = raw.upper().replace(" ", "").replace(".", "").replace("-", "")
    if not compact.startswith("BE"):
        raise ValidationError(
            _("“%(value)s” is not a Belgian VAT number: it must start with BE (e.g. BE0403170701).") % {"value": raw},
            code="invalid_vat_number",
        )
    try:
        return "BE" + stdnum_be_vat.validate(compact)
    except StdnumError:
        raise ValidationError(
            _("“%(value)s” is not a valid Belgian VAT number (e.g. BE0403170701).") % {"value": raw},
            code="invalid_vat_number",
        ) from None


def clean_iban(value: str) -> str:
    """Return the IBAN in compact form ('BE71096123456769'); refuses bad length, country or checksum."""
    raw = (value or "").strip()
    try:
        return stdnum_iban.validate(raw)
    except StdnumError:
        raise ValidationError(
            _("“%(value)s” is not a valid IBAN (e.g. BE71 0961 2345 6769).") % {"value": raw},
            code="invalid_iban",
        ) from None


def format_enterprise_number(compact: str) -> str:
    """'0403170701' → '0403.170.701'."""
    if len(compact or "") != 10:
        return compact or ""
    return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


def format_iban(compact: str) -> str:
    return stdnum_iban.format(compact) if compact else ""
