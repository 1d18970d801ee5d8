"""A firm that exists only for one benchmark run: created with its schema, dropped afterwards."""

import time
from contextlib import contextmanager

from django_tenants.utils import schema_context

from firms.models import Firm
from firms.services import NewFirm, create_firm, ensure_public_site


@contextmanager
def throwaway_firm():
    """Yield a new firm with the connection in its schema; drop the firm and its schema at the end."""
    ensure_public_site()
    slug = f"bench-{int(time.time())}"
    firm, _owner = create_firm(
        NewFirm("Bench", slug, "0403170701", "Bench", f"{slug}@example.com", "Bench-Password-2026")
    )
    try:
        with schema_context(firm.schema_name):
            yield firm
    finally:
        Firm.objects.get(pk=firm.pk).delete(force_drop=True)
