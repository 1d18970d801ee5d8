from django.core.management.base import BaseCommand

from firms.services import ensure_public_site


class Command(BaseCommand):
    help = "Create the public site's tenant and hosts (PORTAL_DOMAIN, PUBLIC_HOSTS) if they are missing."

    def handle(self, *args, **options):
        public = ensure_public_site()
        hosts = ", ".join(public.domains.values_list("domain", flat=True))
        self.stdout.write(f"public site on: {hosts}")
