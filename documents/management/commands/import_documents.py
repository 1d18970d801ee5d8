import os
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dossiers.command_target import dossier_of_firm, files_under

from ...bulk import FileList, import_files

SUFFIXES = {".xml", ".pdf", ".png", ".jpg", ".jpeg"}


class Command(BaseCommand):
    help = (
        "Import purchase UBL files (and PDFs or images into quick entry) into a dossier as an upload does; "
        "one line per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("--dossier", required=True, help="the dossier's enterprise number")
        parser.add_argument(
            "paths", nargs="+", type=Path, help="files or folders (searched for .xml, .pdf, .png and .jpg files)"
        )
        parser.add_argument("--workers", type=int, help="processes checking the Peppol rules (default: one per core)")

    def handle(self, *args, firm, dossier, paths, workers=None, **options):
        with dossier_of_firm(firm, dossier) as record:
            readable = []
            for path in files_under(paths, SUFFIXES):
                if os.access(path, os.R_OK):
                    readable.append((str(path), path.read_bytes))  # read when its turn comes
                else:
                    self.stdout.write(f"{path}: refused: {_('the file cannot be read')}")
            for name, result in import_files(record, FileList(readable), None, workers=workers):
                self.stdout.write(f"{name}: {result.outcome}: {result.message}")
