from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from core.errors import PortalError
from firms.models import Firm

from ...excel import SheetError, read_sheet
from ...importing import apply_import, plan_import
from ...services import DossierSpec
from ...sheets import dossier_columns


class Command(BaseCommand):
    help = "Import dossiers from an .xlsx as the web page does: preview, or apply with --apply."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="write the changes (default: preview only)")

    def handle(self, *args, firm, file, apply, **options):
        target = Firm.objects.filter(slug=firm).exclude(schema_name="public").first()
        if target is None:
            raise CommandError(f"no firm with slug {firm!r}")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        with schema_context(target.schema_name):
            try:
                plan = plan_import(DossierSpec(target), read_sheet(data, dossier_columns()))
            except SheetError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"to create: {len(plan.creates)}")
            self.stdout.write(f"to update: {len(plan.updates)}")
            self.stdout.write(f"unchanged: {plan.unchanged}")
            self.stdout.write(f"errors: {len(plan.errors)}")
            for row_error in plan.errors:
                self.stdout.write(f"row {row_error.row}: {row_error.column}: {row_error.message}")
            if plan.elsewhere:
                self.stdout.write(f"with an account at another firm: {len(plan.elsewhere)}")
            if not apply:
                return
            try:
                created, updated = apply_import(DossierSpec(target), plan, None)
            except PortalError as error:
                raise CommandError(error.message) from None
            self.stdout.write(self.style.SUCCESS(f"applied: {created} created, {updated} updated"))
