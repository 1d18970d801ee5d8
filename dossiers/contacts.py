"""Customers, suppliers and products of a dossier: their Excel columns, cleaning and import specs.

Contacts are matched on their VAT number, else their own reference; products on their own reference.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import get_cc_module

from core.amounts import AmountError, parse_amount
from core.identifiers import clean_iban, clean_vat_number, format_iban

from .excel import Column
from .importing import Spec, clean_language, clean_optional_email
from .models import Contact, Dossier, Product
from .sheets import with_aliases


def clean_contact_vat(value: str) -> str:
    """A Belgian VAT number checked with its checksum, another one with its country's rules, or '' ."""
    raw = (value or "").strip()
    if not raw:
        return ""
    compact = raw.upper().replace(" ", "").replace(".", "").replace("-", "")
    if compact.startswith("BE") or compact[:1].isdigit():
        return clean_vat_number(compact if compact.startswith("BE") else "BE" + compact)
    try:
        return eu_vat.validate(compact)
    except StdnumError:
        pass
    # Outside the EU (GB, CH, NO...): that country's own rules, where python-stdnum knows them.
    country = compact[:2]
    outside_eu = country.isalpha() and country.lower() not in eu_vat.MEMBER_STATES and country != "EL"
    module = get_cc_module(country.lower(), "vat") if outside_eu else None
    if module is not None:
        try:
            number = module.validate(compact)
        except StdnumError:
            pass
        else:
            return number if number.startswith(country) else country + number
    raise ValidationError(_("“%(value)s” is not a valid VAT number.") % {"value": raw})


def _contact_columns() -> list[Column]:
    return [
        Column(
            "reference", _("Own reference"), note=_("Your code for this contact; used to match rows"), example="K0001"
        ),
        Column("name", _("Name"), True, example="Brouwerij De Koninck NV"),
        Column("vat_number", _("VAT number"), note=_("e.g. BE0403170701 or NL004495445B01"), example="BE0403170701"),
        Column("street", _("Street and number"), example="Mechelsesteenweg 291"),
        Column("postal_code", _("Postal code"), example="2018"),
        Column("city", _("City"), example="Antwerpen"),
        Column("country", _("Country"), note=_("Two letters, default BE"), example="BE"),
        Column("email", _("Email"), example="facturen@example.be"),
        Column("iban", _("IBAN"), example="BE71 0961 2345 6769"),
        Column("language", _("Language"), note="nl, fr, en", choices=("nl", "fr", "en"), example="nl"),
    ]


def contact_columns() -> list[Column]:
    return with_aliases(_contact_columns)


def _product_columns() -> list[Column]:
    return [
        Column("reference", _("Own reference"), True, example="P001"),
        Column("name", _("Name"), True, example="Boekhouding per uur"),
        Column("unit", _("Unit"), note=_("UN/ECE code: C62 piece, HUR hour, KGM kilogram"), example="HUR"),
        Column("unit_price", _("Unit price"), note=_("Excluding VAT, e.g. 85,00"), example="85,00"),
        Column("vat_rate", _("VAT rate"), note="21, 12, 6, 0", choices=("21", "12", "6", "0"), example="21"),
    ]


def product_columns() -> list[Column]:
    return with_aliases(_product_columns)


def contact_row(contact: Contact) -> dict:
    return {
        "reference": contact.reference,
        "name": contact.name,
        "vat_number": contact.vat_number,
        "street": contact.street,
        "postal_code": contact.postal_code,
        "city": contact.city,
        "country": contact.country,
        "email": contact.email,
        "iban": format_iban(contact.iban),
        "language": contact.language,
    }


def product_row(product: Product) -> dict:
    return {
        "reference": product.reference,
        "name": product.name,
        "unit": product.unit,
        "unit_price": f"{product.unit_price.normalize():f}".replace(".", ","),
        "vat_rate": product.vat_rate,
    }


class ContactSpec(Spec):
    model = Contact

    def __init__(self, dossier: Dossier, kind: str):
        self.dossier = dossier
        self.kind = kind

    def columns(self):
        return contact_columns()

    def existing(self):
        found = {}
        for contact in Contact.objects.filter(dossier=self.dossier, kind=self.kind):
            if contact.vat_number:
                found[("vat_number", contact.vat_number)] = contact
            if contact.reference:
                found[("reference", contact.reference)] = contact
        return found

    def keys(self, cleaned):
        return [(name, cleaned[name]) for name in ("vat_number", "reference") if cleaned[name]]

    def clean(self, values, fail):
        if not values["name"]:
            fail("name", _("The name is required."))
        vat = iban = ""
        try:
            vat = clean_contact_vat(values["vat_number"])
        except ValidationError as error:
            fail("vat_number", error.messages[0])
        if values["iban"]:
            try:
                iban = clean_iban(values["iban"])
            except ValidationError as error:
                fail("iban", error.messages[0])
        if not vat and not values["reference"]:
            fail("reference", _("Give a VAT number or an own reference, so the row can be matched later."))
        return {
            "dossier_id": self.dossier.pk,
            "kind": self.kind,
            "reference": values["reference"][:40],
            "name": values["name"][:200],
            "vat_number": vat,
            "enterprise_number": vat[2:] if vat.startswith("BE") else "",
            "street": values["street"][:200],
            "postal_code": values["postal_code"][:10],
            "city": values["city"][:100],
            "country": (values["country"] or (vat[:2] if vat and vat[:2].isalpha() else "BE")).upper()[:2],
            "email": clean_optional_email(values["email"], lambda message: fail("email", message)),
            "iban": iban,
            "language": clean_language(values["language"], lambda message: fail("language", message)),
        }


class ProductSpec(Spec):
    model = Product

    def __init__(self, dossier: Dossier):
        self.dossier = dossier

    def columns(self):
        return product_columns()

    def existing(self):
        return {("reference", p.reference): p for p in Product.objects.filter(dossier=self.dossier)}

    def keys(self, cleaned):
        return [("reference", cleaned["reference"])]

    def clean(self, values, fail):
        if not values["reference"]:
            fail("reference", _("The own reference is required."))
        if not values["name"]:
            fail("name", _("The name is required."))
        price = Decimal("0")
        if values["unit_price"]:
            try:
                price = parse_amount(values["unit_price"])
            except AmountError as error:
                fail("unit_price", error.message)
            else:
                if price < 0 or price != price.quantize(Decimal("0.0001")) or price >= Decimal("1e10"):
                    fail("unit_price", _("Use a positive amount with at most 4 decimals."))
        rate = (values["vat_rate"] or "21").rstrip("%").strip()
        if rate not in Product.VatRate.values:
            fail("vat_rate", _("Use 21, 12, 6 or 0."))
        return {
            "dossier_id": self.dossier.pk,
            "reference": values["reference"][:40],
            "name": values["name"][:200],
            "unit": (values["unit"] or "C62").upper()[:3],
            "unit_price": price,
            "vat_rate": rate,
        }
