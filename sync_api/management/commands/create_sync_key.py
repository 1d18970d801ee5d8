"""Create a sync key for a firm's Billsync agent."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import PortalError
from firms.models import Firm

from ...services import create_sync_key


class Command(BaseCommand):
    help = "Create a sync key for a firm's Billsync agent; the key is printed on the last line (only this once)."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="the firm's slug")
        parser.add_argument("--name", required=True, help="a name for the key, e.g. the server it is for")

    def handle(self, *args, firm, name, **options):
        chosen = Firm.objects.exclude(schema_name="public").filter(slug=firm).first()
        if chosen is None:
            raise CommandError(f"No firm with the slug {firm!r}.")
        try:
            key, raw = create_sync_key(chosen, name)
        except PortalError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"sync key {key.prefix}… “{key.name}” created for {chosen.slug}; it is shown only once:")
        self.stdout.write(raw)
