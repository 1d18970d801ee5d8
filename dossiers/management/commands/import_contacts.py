from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import PortalError

from ...command_target import dossier_of_firm
from ...contact_views import SECTIONS
from ...excel import SheetError, read_sheet
from ...importing import apply_import, plan_import


class Command(BaseCommand):
    help = "Import a dossier's customers, suppliers or products from an .xlsx as the page does: preview, or --apply."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("--dossier", required=True, help="the dossier's enterprise number")
        parser.add_argument("--kind", required=True, choices=sorted(SECTIONS), help="what the sheet holds")
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="write the changes (default: preview only)")

    def handle(self, *args, firm, dossier, kind, file, apply, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        section = SECTIONS[kind]
        with dossier_of_firm(firm, dossier) as target:
            spec = section.spec(target)
            try:
                plan = plan_import(spec, read_sheet(data, section.columns()))
            except SheetError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"to create: {len(plan.creates)}")
            self.stdout.write(f"to update: {len(plan.updates)}")
            self.stdout.write(f"unchanged: {plan.unchanged}")
            self.stdout.write(f"errors: {len(plan.errors)}")
            for row_error in plan.errors:
                self.stdout.write(f"row {row_error.row}: {row_error.column}: {row_error.message}")
            if not apply:
                return
            try:
                created, updated = apply_import(spec, plan, None)
            except PortalError as error:
                raise CommandError(error.message) from None
            self.stdout.write(self.style.SUCCESS(f"applied: {created} created, {updated} updated"))
