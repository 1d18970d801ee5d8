"""What the import commands share: the dossier named on the command line (firm slug + enterprise number),
entered in its firm's schema, and the files named (folders searched)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from core.identifiers import clean_enterprise_number
from firms.models import Firm

from .models import Dossier


@contextmanager
def dossier_of_firm(firm: str, dossier: str) -> Iterator[Dossier]:
    """The dossier, with the connection in its firm's schema; CommandError when either is unknown."""
    target = Firm.objects.filter(slug=firm).exclude(schema_name="public").first()
    if target is None:
        raise CommandError(f"no firm with slug {firm!r}")
    try:
        number = clean_enterprise_number(dossier)
    except Exception:
        raise CommandError(f"{dossier!r} is not a valid enterprise number") from None
    with schema_context(target.schema_name):
        record = Dossier.objects.filter(enterprise_number=number).first()
        if record is None:
            raise CommandError(f"firm {firm} has no dossier {dossier}")
        yield record


def files_under(paths: list[Path], suffixes: set[str] | None = None) -> list[Path]:
    """The files named, and those inside the folders named (with one of `suffixes`, if given), in order."""

    def wanted(path: Path) -> bool:
        return path.is_file() and (suffixes is None or path.suffix.lower() in suffixes)

    return [p for path in paths for p in (sorted(filter(wanted, path.rglob("*"))) if path.is_dir() else [path])]
