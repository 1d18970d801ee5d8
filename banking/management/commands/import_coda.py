from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from dossiers.models import Dossier
from portal.identifiers import clean_enterprise_number
from portal.models import Firm

from ...models import Source
from ...services import ingest_coda


class Command(BaseCommand):
    help = "Import CODA files into a dossier as an upload does; one line per statement."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("--dossier", required=True, help="the dossier's enterprise number")
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders (every file inside)")

    def handle(self, *args, firm, dossier, paths, **options):
        target = Firm.objects.filter(slug=firm).exclude(schema_name="public").first()
        if target is None:
            raise CommandError(f"no firm with slug {firm!r}")
        try:
            number = clean_enterprise_number(dossier)
        except Exception:
            raise CommandError(f"{dossier!r} is not a valid enterprise number") from None
        files = [p for path in paths
                 for p in (sorted(x for x in path.rglob("*") if x.is_file()) if path.is_dir() else [path])]
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
                result = ingest_coda(record, data, path.name, None, Source.COMMAND)
                if result.outcome == "refused" or not result.statements:
                    self.stdout.write(f"{path}: {result.outcome}: {result.message}")
                for statement in result.statements:
                    self.stdout.write(f"{path}: {statement.account} {statement.year}/{statement.number:03d}: "
                                      f"{statement.outcome}")
