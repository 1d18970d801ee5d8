from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from dossiers.models import Dossier
from portal.identifiers import clean_enterprise_number
from portal.models import Firm

from ...bulk import import_files

SUFFIXES = {".xml", ".pdf", ".png", ".jpg", ".jpeg"}


class Command(BaseCommand):
    help = ("Import purchase UBL files (and PDFs or images into quick entry) into a dossier as an upload does; "
            "one line per file.")

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("--dossier", required=True, help="the dossier's enterprise number")
        parser.add_argument("paths", nargs="+", type=Path,
                            help="files or folders (searched for .xml, .pdf, .png and .jpg files)")
        parser.add_argument("--workers", type=int, help="processes checking the Peppol rules (default: one per core)")

    def handle(self, *args, firm, dossier, paths, workers=None, **options):
        target = Firm.objects.filter(slug=firm).exclude(schema_name="public").first()
        if target is None:
            raise CommandError(f"no firm with slug {firm!r}")
        try:
            number = clean_enterprise_number(dossier)
        except Exception:
            raise CommandError(f"{dossier!r} is not a valid enterprise number") from None
        files = [p for path in paths for p in (sorted(f for f in path.rglob("*") if f.suffix.lower() in SUFFIXES)
                                               if path.is_dir() else [path])]
        with schema_context(target.schema_name):
            record = Dossier.objects.filter(enterprise_number=number).first()
            if record is None:
                raise CommandError(f"firm {firm} has no dossier {dossier}")
            readable = []
            for path in files:
                try:
                    readable.append((path, path.read_bytes()))
                except OSError as error:
                    self.stdout.write(f"{path}: refused: {error}")
            by_name = [(str(path), data) for path, data in readable]
            for name, result in import_files(record, by_name, None, workers=workers):
                self.stdout.write(f"{name}: {result.outcome}: {result.message}")
