from django.core.management.base import BaseCommand
from django.db import transaction

from devstack.demo import seed_demo


class Command(BaseCommand):
    help = "Create (or complete) the demo firm `demo` with its owner and demo data. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            firm = seed_demo()
        self.stdout.write(f"demo firm ready: {firm.slug} ({firm.schema_name})")
