from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from dossiers.models import Dossier
from portal.identifiers import clean_enterprise_number
from portal.models import Firm

from ...services import import_purchase


class Command(BaseCommand):
    help = "Import purchase UBL files into a dossier as an upload does; one line per file."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("--dossier", required=True, help="the dossier's enterprise number")
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders (searched for *.xml)")

    def handle(self, *args, firm, dossier, paths, **options):
        target = Firm.objects.filter(slug=firm).exclude(schema_name="public").first()
        if target is None:
            raise CommandError(f"no firm with slug {firm!r}")
        try:
            number = clean_enterprise_number(dossier)
        except Exception:
            raise CommandError(f"{dossier!r} is not a valid enterprise number") from None
        files = [p for path in paths for p in (sorted(path.rglob("*.xml")) if path.is_dir() else [path])]
        with schema_context(target.schema_name):
            record = Dossier.objects.filter(enterprise_number=number).first()
            if record is None:
                raise CommandError(f"firm {firm} has no dossier {dossier}")
            for path in files:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    self.stdout.write(f"{path}: refused: {error}")
                    continue
                result = import_purchase(record, data, path.name, None)
                self.stdout.write(f"{path}: {result.outcome}: {result.message}")
