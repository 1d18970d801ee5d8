"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po → .mo) with Babel, so that no GNU gettext
installation is needed to run the portal. `python -m devstack.compile_messages`."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def compile_all() -> int:
    count = 0
    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        count += 1
    return count


if __name__ == "__main__":
    print(f"[portal] translations: {compile_all()} catalogue(s) compiled")
