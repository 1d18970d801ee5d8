from pathlib import Path

from django.core.management.base import BaseCommand

from dossiers.command_target import dossier_of_firm, files_under

from ...models import Source
from ...services import ingest_coda


class Command(BaseCommand):
    help = "Import CODA files into a dossier as an upload does; one line per statement."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("--dossier", required=True, help="the dossier's enterprise number")
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders (every file inside)")

    def handle(self, *args, firm, dossier, paths, **options):
        with dossier_of_firm(firm, dossier) as record:
            for path in files_under(paths):
                try:
                    data = path.read_bytes()
                except OSError as error:
                    self.stdout.write(f"{path}: refused: {error}")
                    continue
                result = ingest_coda(record, data, path.name, None, Source.COMMAND)
                if result.outcome == "refused" or not result.statements:
                    self.stdout.write(f"{path}: {result.outcome}: {result.message}")
                for statement in result.statements:
                    self.stdout.write(
                        f"{path}: {statement.account} {statement.year}/{statement.number:03d}: {statement.outcome}"
                    )
