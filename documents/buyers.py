"""Whose is a received document: the dossier's when its buyer's VAT number, enterprise number or Peppol endpoint
matches the dossier's; when it carries none of these, when the buyer's name is the dossier's name (normalised).
Pure, apart from `proposed_dossiers`, which reads the firm's dossiers for the "move to another dossier" picker."""

import re
import unicodedata
from enum import StrEnum

from .ubl_read import ReadParty

# Legal forms dropped when names are compared (Belgian in nl/fr/de, and the usual foreign ones), written as they
# are after normalising: lower case, no accents, no dots ("B.V.B.A." becomes "bvba").
LEGAL_FORMS = frozenset(
    """
    bv bvba ebvba nv cv cvba cvoa commv commva gcv vof vzw ivzw son esv
    srl sprl sprlu sa sc scrl scs sca snc asbl aisbl se scri
    gmbh ag kg ohg ug ltd llc plc inc corp sarl sas sasu eurl sl slu spa srls oy ab as aps
    """.split()
)


class Buyer(StrEnum):
    OURS = "ours"  # an identifier or (without identifiers) the name matches the dossier
    OTHER = "other"  # an identifier is there and none matches: addressed to another company
    UNIDENTIFIED = "unidentified"  # no identifier to compare and a name that is not the dossier's


def normalised_name(name: str) -> str:
    """A company name for comparing: case, accents, punctuation and legal forms do not count."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace(".", "")  # "B.V.B.A." and "S.A." are one word
    words = re.sub(r"[\W_]+", " ", text).split()
    return " ".join(word for word in words if word not in LEGAL_FORMS)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _identifiers(buyer: ReadParty) -> tuple[set[str], set[str]]:
    """The buyer's Belgian enterprise numbers and VAT numbers it can be compared with a dossier by."""
    numbers, vats = set(), set()
    if buyer.enterprise_number:
        numbers.add(_digits(buyer.enterprise_number).zfill(10))
    if buyer.vat_number:
        vats.add(buyer.vat_number.upper())
    scheme, _sep, value = buyer.endpoint.partition(":")
    if scheme == "0208" and _digits(value):  # Belgian enterprise number
        numbers.add(_digits(value).zfill(10))
    elif scheme == "9925" and value:  # Belgian VAT number
        vats.add(re.sub(r"[\s.]", "", value).upper())
    return numbers, vats


def whose(dossier_name: str, enterprise_number: str, buyer: ReadParty) -> Buyer:
    """Whether a received document with this buyer is the dossier's. An endpoint in a scheme that cannot be
    compared with a Belgian dossier (GLN, e-mail…) counts as no identifier: then the name decides."""
    numbers, vats = _identifiers(buyer)
    if numbers or vats:
        if enterprise_number in numbers or f"BE{enterprise_number}" in vats:
            return Buyer.OURS
        return Buyer.OTHER
    mine = normalised_name(dossier_name)
    if mine and normalised_name(buyer.name) == mine:
        return Buyer.OURS
    return Buyer.UNIDENTIFIED


def proposed_dossiers(document, search: str = "", limit: int = 20) -> list:
    """Other dossiers of the firm (not archived) this document may belong to: those whose enterprise number is the
    buyer's or whose name is the buyer's (normalised, or containing its first word), and, with `search`, those
    whose name or number contains it. Best matches first."""
    from django.db.models import Q

    from dossiers.models import Dossier

    others = Dossier.objects.not_archived().exclude(pk=document.dossier_id)
    wanted = normalised_name(document.buyer_name)
    query = Q(pk__in=[])
    if document.buyer_number:
        query |= Q(enterprise_number=document.buyer_number)
    if wanted:
        query |= Q(name__icontains=wanted.split()[0])
    search = search.strip()
    if search:
        query |= Q(name__icontains=search)
        if _digits(search):
            query |= Q(enterprise_number__contains=_digits(search))
    candidates = list(others.filter(query).order_by("name")[: limit * 5])

    def rank(dossier) -> int:
        if document.buyer_number and dossier.enterprise_number == document.buyer_number:
            return 0
        if wanted and normalised_name(dossier.name) == wanted:
            return 1
        return 2

    return sorted(candidates, key=rank)[:limit]
