"""Apply every dossier's export policy, as the scheduled task does."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tenants.utils import tenant_context

from firms.models import Firm

from ...services import queue_due_items


class Command(BaseCommand):
    help = "Apply every dossier's export policy (as the scheduled run does) and print the items queued."

    def add_arguments(self, parser):
        parser.add_argument("--firm", help="only this firm (its slug)")
        parser.add_argument("--now", help="act as if it were this moment (ISO 8601, e.g. 2026-12-01T00:05+01:00)")

    def handle(self, *args, firm=None, now=None, **options):
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: not an ISO date and time: {now}") from error
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        firms = Firm.objects.exclude(schema_name="public").order_by("slug")
        if firm:
            firms = firms.filter(slug=firm)
            if not firms:
                raise CommandError(f"No firm with the slug {firm!r}.")
        total = 0
        for each in firms:
            with tenant_context(each):
                queued = queue_due_items(moment)
            for dossier, count in sorted(queued.items(), key=lambda pair: pair[0].name):
                self.stdout.write(f"{each.slug}\t{dossier.enterprise_number}\t{dossier.name}\t{count} queued")
                total += count
        self.stdout.write(f"{total} item(s) queued")
