"""Invoice arithmetic per EN 16931, in Decimal only: line net amounts, document allowances and charges, the
VAT breakdown per category and rate, and the document totals. Pure: plain data in, plain data out.

Rounding follows the norm: every monetary amount (BT-131 line net, BT-92/99 allowance/charge, BT-116/117
per VAT category) is rounded to 2 decimals, half up, and totals are sums of rounded amounts (BR-CO-10..16).
The VAT of a category is its taxable amount times its rate, rounded once (BR-CO-17), never a sum of line VAT.
"""

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class VatCategory:
    """UNCL5305 codes used by Belgian invoices, with the VATEX exemption code each needs."""

    STANDARD = "S"  # 21, 12 or 6 %
    ZERO_RATED = "Z"  # 0 %
    EXEMPT = "E"  # exempt (e.g. art. 44 Belgian VAT code)
    REVERSE_CHARGE = "AE"  # intra-EU services / domestic reverse charge: the buyer pays the VAT
    INTRA_EU = "K"  # intra-community supply of goods
    EXPORT = "G"  # export outside the EU
    NOT_SUBJECT = "O"  # services outside the scope of VAT

    EXEMPTION_CODES = {
        "E": "VATEX-EU-132",
        "AE": "VATEX-EU-AE",
        "K": "VATEX-EU-IC",
        "G": "VATEX-EU-G",
        "O": "VATEX-EU-O",
    }
    EXEMPTION_TEXTS = {
        "E": "Exempt from VAT",
        "AE": "Reverse charge",
        "K": "Intra-community supply",
        "G": "Export outside the EU",
        "O": "Not subject to VAT",
    }
    ZERO_RATE_CATEGORIES = {"Z", "E", "AE", "K", "G", "O"}


@dataclass(frozen=True)
class Line:
    quantity: Decimal
    unit_price: Decimal
    vat_category: str = VatCategory.STANDARD
    vat_rate: Decimal = Decimal("21")
    discount_percent: Decimal = ZERO

    @property
    def gross(self) -> Decimal:
        return round2(self.quantity * self.unit_price)

    @property
    def discount(self) -> Decimal:
        return round2(self.quantity * self.unit_price * self.discount_percent / 100)

    @property
    def net(self) -> Decimal:
        """BT-131: quantity × price − line allowance, rounded to the cent."""
        return self.gross - self.discount


@dataclass(frozen=True)
class AllowanceCharge:
    """A document-level allowance (is_charge False) or charge, in one VAT category."""

    amount: Decimal
    is_charge: bool
    reason: str
    vat_category: str = VatCategory.STANDARD
    vat_rate: Decimal = Decimal("21")


@dataclass(frozen=True)
class VatSubtotal:
    category: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    line_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    payable: Decimal  # BT-115
    vat: list[VatSubtotal] = field(default_factory=list)


def compute_totals(
    lines: Sequence[Line],
    allowances_charges: Sequence[AllowanceCharge] = (),
    prepaid: Decimal = ZERO,
    stated_vat: dict[tuple[str, Decimal], Decimal] | None = None,
) -> Totals:
    """The totals and VAT breakdown of a document. Refuses amounts that are not Decimal. `stated_vat` gives the
    VAT per (category, rate) as a received invoice states it (a supplier who rounds per line may differ from
    rounding the total by a few cents; EN 16931 accepts less than one unit of difference, BR-S-09)."""
    for line in lines:
        if not all(
            isinstance(v, Decimal) for v in (line.quantity, line.unit_price, line.vat_rate, line.discount_percent)
        ):
            raise TypeError("money is Decimal, never float")
    groups: OrderedDict[tuple[str, Decimal], Decimal] = OrderedDict()
    for line in lines:
        key = (line.vat_category, effective_rate(line.vat_category, line.vat_rate))
        groups[key] = groups.get(key, ZERO) + line.net
    allowance_total = charge_total = ZERO
    for item in allowances_charges:
        amount = round2(item.amount)
        key = (item.vat_category, effective_rate(item.vat_category, item.vat_rate))
        groups[key] = groups.get(key, ZERO) + (amount if item.is_charge else -amount)
        if item.is_charge:
            charge_total += amount
        else:
            allowance_total += amount
    stated_vat = stated_vat or {}
    vat = [
        VatSubtotal(category, rate, taxable, stated_vat.get((category, rate), round2(taxable * rate / 100)))
        for (category, rate), taxable in groups.items()
    ]
    line_total = sum((line.net for line in lines), ZERO)
    tax_exclusive = line_total - allowance_total + charge_total
    tax_total = sum((subtotal.tax for subtotal in vat), ZERO)
    tax_inclusive = tax_exclusive + tax_total
    return Totals(
        line_total=line_total,
        allowance_total=allowance_total,
        charge_total=charge_total,
        tax_exclusive=tax_exclusive,
        tax_total=tax_total,
        tax_inclusive=tax_inclusive,
        prepaid=round2(prepaid),
        payable=tax_inclusive - round2(prepaid),
        vat=vat,
    )


def effective_rate(category: str, rate: Decimal) -> Decimal:
    """The VAT rate that applies: 0 in every category but S (BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05)."""
    return ZERO if category in VatCategory.ZERO_RATE_CATEGORIES else rate


def structured_communication(number: int) -> str:
    """The Belgian structured communication for a 10-digit reference: +++123/4567/89002+++ (mod 97,
    97 when the remainder is 0)."""
    if not 0 <= number < 10**10:
        raise ValueError("the reference has at most 10 digits")
    check = number % 97 or 97
    digits = f"{number:010d}{check:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def is_structured_communication(text: str) -> bool:
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) != 12:
        return False
    number, check = int(digits[:10]), int(digits[10:])
    return (number % 97 or 97) == check
