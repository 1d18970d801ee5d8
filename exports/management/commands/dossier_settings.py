"""Change the export settings of a firm's dossiers from the command line: the same bulk change as the dossiers
list (one transaction, an audit entry per changed dossier)."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from core.errors import PortalError
from core.identifiers import clean_enterprise_number
from dossiers.models import Dossier
from exports.bulk import BulkChange, apply_change
from exports.models import POLICY_ARGUMENTS
from firms.models import Firm

YES_NO = {"yes": True, "no": False}


class Command(BaseCommand):
    help = "Change export policy, approval, lock after export or Sage BOB reference of many dossiers at once."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--dossier", nargs="+", metavar="KBO", help="enterprise numbers of the dossiers")
        which.add_argument("--all", action="store_true", help="every dossier of the firm that is not archived")
        parser.add_argument("--policy", choices=sorted(POLICY_ARGUMENTS))
        parser.add_argument("--approval", choices=sorted(YES_NO))
        parser.add_argument("--lock", choices=sorted(YES_NO))
        reference = parser.add_mutually_exclusive_group()
        reference.add_argument("--bob-ref", metavar="VALUE", help="the Sage BOB reference (one dossier only)")
        reference.add_argument(
            "--bob-ref-from", choices=["enterprise_number"], help="set the reference from the enterprise number"
        )
        parser.add_argument(
            "--overwrite-own", action="store_true", help="also change dossiers with their own setting or reference"
        )

    def handle(self, *args, **options):
        firm = Firm.objects.filter(slug=options["firm"]).exclude(schema_name="public").first()
        if firm is None:
            raise CommandError(f"no firm with slug {options['firm']!r}")
        change = BulkChange(
            policy=POLICY_ARGUMENTS[options["policy"]] if options["policy"] else None,
            needs_approval=YES_NO.get(options["approval"] or ""),
            lock_after_export=YES_NO.get(options["lock"] or ""),
            bob_reference=options["bob_ref"],
            bob_reference_from_enterprise_number=options["bob_ref_from"] == "enterprise_number",
            overwrite_own=options["overwrite_own"],
        )
        with schema_context(firm.schema_name):
            if options["all"]:
                ids = list(Dossier.objects.not_archived().values_list("pk", flat=True))
            else:
                ids = self._dossiers(options["dossier"], firm.slug)
            try:
                preview = apply_change(ids, change, None)
            except PortalError as error:
                raise CommandError(f"{error.code}: {error.message}") from None
        for name, count in sorted(preview.keep_own.items()):
            self.stdout.write(f"{count} dossiers keep their own {name}")
        self.stdout.write(f"{preview.changing_dossiers} dossiers changed")

    def _dossiers(self, numbers: list[str], slug: str) -> list[int]:
        try:
            cleaned = [clean_enterprise_number(number) for number in numbers]
        except Exception:
            raise CommandError("give valid enterprise numbers after --dossier") from None
        found = dict(Dossier.objects.filter(enterprise_number__in=cleaned).values_list("enterprise_number", "pk"))
        missing = [number for number in cleaned if number not in found]
        if missing:
            raise CommandError(f"firm {slug} has no dossier {', '.join(missing)}")
        return list(found.values())
