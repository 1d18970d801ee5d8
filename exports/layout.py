"""Target layout for Sage BOB 50's Demat module: folders per dossier and stable, sortable, Windows-safe file
names. Pure: no database.

    REF/Demat/Aankopen/20261103-000123-INV-0042-Bakkerij Peeters.xml
    REF/Demat/Verkopen/20261103-000124-2026-0007-Klant NV.xml
    REF/CODA/20261130-000007-BE71096123456769-2026-231.cod

Paths are relative and `/`-separated; no segment is `.` or `..`, a Windows device name (CON, NUL, COM1…),
or holds `<>:"\\|?*`, control characters or invisible format characters (bidi overrides, zero-width
spaces: Unicode category Cf); names are NFC; no name is longer than MAX_NAME characters.
"""

import re
import unicodedata
from datetime import date

from django.utils.translation import gettext as _

MAX_NAME = 120
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]+')
SPACES = re.compile(r"\s+")
DEFAULT_FOLDERS = {"purchases": "Demat/Aankopen", "sales": "Demat/Verkopen", "coda": "CODA"}


class LayoutError(ValueError):
    """A folder typed by the accountant that cannot be a safe relative path. The message is for the user."""


def visible(text: str) -> str:
    """NFC-normalised, without Unicode format characters (category Cf): no bidi overrides that make
    "x\u202egpj.exe" display as "xexe.jpg", no zero-width spaces, joiners or byte order marks."""
    return "".join(char for char in unicodedata.normalize("NFC", text) if unicodedata.category(char) != "Cf")


def safe_name(text: str, limit: int = MAX_NAME) -> str:
    """One path segment made safe for Windows and Linux; never empty, never a device name, nothing invisible."""
    name = SPACES.sub(" ", UNSAFE.sub("-", visible(text))).strip(" .")[:limit].rstrip(" .")
    if not name:
        return "_"
    if name.split(".")[0].upper() in RESERVED:
        name = "_" + name[: limit - 1]
    return name


def clean_folder(folder: str) -> str:
    """A relative folder as typed (`/` or `\\`), normalised to `A/B`. Refuses rather than repairs: a folder
    the accountant typed must end up exactly where they think."""
    text = visible(folder).strip().replace("\\", "/")
    if not text:
        return ""
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        raise LayoutError(
            _("Give a folder relative to the agent's root folder, without a drive letter or a leading slash.")
        )
    segments = [segment for segment in text.split("/") if segment != ""]
    for segment in segments:
        if segment in (".", ".."):
            raise LayoutError(_("A folder may not contain “.” or “..”."))
        if UNSAFE.search(segment) or segment != segment.strip(" .") or len(segment) > MAX_NAME:
            raise LayoutError(_("“%(name)s” cannot be a folder name on Windows.") % {"name": segment})
        if segment.split(".")[0].upper() in RESERVED:
            raise LayoutError(_("“%(name)s” is reserved by Windows.") % {"name": segment})
    return "/".join(segments)


# A Sage BOB dossier is a folder under BOB50DATA whose name is the dossier's code. We accept what is safe as
# that code and as a folder on every Windows and Linux file system without quoting: ASCII letters and digits,
# with `-` or `_` inside (never first), at most 20 characters (the 10-digit enterprise number fits). No spaces,
# dots or accents: BOB runs on Windows code pages, and a space or a trailing dot is where folder names break.
BOB_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")


def clean_bob_reference(text: str) -> str:
    """The reference as typed, trimmed; "" stays "" (no reference yet). Refuses anything BOB's dossier folder
    cannot be (see BOB_REFERENCE) or a Windows device name."""
    reference = (text or "").strip()
    if not reference:
        return ""
    if not BOB_REFERENCE.match(reference):
        raise LayoutError(
            _(
                "A Sage BOB reference has only letters and digits (a hyphen or underscore inside is fine), "
                "no spaces, at most 20 characters."
            )
        )
    if reference.upper() in RESERVED:
        raise LayoutError(_("“%(name)s” is reserved by Windows.") % {"name": reference})
    return reference


def folders(reference: str, overrides: dict[str, str]) -> dict[str, str]:
    """The target folder per kind (purchases, sales, coda): the override when given, else REF/<default>.
    Without a reference there are no folders at all ({}): a folder is never invented from the client's name."""
    if not reference:
        return {}
    root = reference
    return {
        kind: clean_folder(overrides.get(kind, "")) or f"{root}/{default}" for kind, default in DEFAULT_FOLDERS.items()
    }


def _stem(day: date, serial: int) -> str:
    return f"{day:%Y%m%d}-{serial:06d}"


def document_filename(day: date, serial: int, number: str, counterparty: str) -> str:
    """`YYYYMMDD-NNNNNN-number-counterparty.xml`: sorts by the chosen date then creation; the serial (the
    document's id) makes it unique and stable."""
    stem = _stem(day, serial)
    rest = safe_name(f"{number} {counterparty}".strip() or "document", MAX_NAME - len(stem) - 5)
    return f"{stem}-{rest}.xml"


def statement_filename(day: date, serial: int, iban: str, year: int, number: int) -> str:
    stem = _stem(day, serial)
    return f"{stem}-{safe_name(f'{iban}-{year}-{number:03d}', MAX_NAME - len(stem) - 5)}.cod"
