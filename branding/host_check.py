"""Django's host check for the firms' custom hosts: an ALLOWED_HOSTS entry that matches a host name only
when it is in the Domain table, so custom hosts work without opening ALLOWED_HOSTS to `*`.

Imported by settings, so nothing here touches models at import time.
"""

KNOWN_HOST_TTL = 300


def known_host_key(host: str) -> str:
    return f"branding:known-host:{host}"


def is_known_host(host: str) -> bool:
    """Whether `host` (lowercase, without port) reaches a firm or the public site. Cached per host name,
    forgotten when a firm changes its custom host (branding.services)."""
    from django.core.cache import cache
    from django_tenants.utils import get_public_schema_name, schema_context

    from firms.models import Domain

    if not host or len(host) > 253:
        return False
    with schema_context(get_public_schema_name()):  # cache keys and the Domain table live in public
        known = cache.get(known_host_key(host))
        if known is None:
            known = Domain.objects.filter(domain=host).exists()
            cache.set(known_host_key(host), known, KNOWN_HOST_TTL)
    return known


class FirmHosts(str):
    """An ALLOWED_HOSTS pattern matching the hosts of the Domain table (firms' custom hosts included).

    Django compares every pattern as `pattern == "*"` and, through `is_same_domain`, as `pattern == host`
    after `pattern.lower()`; this string answers the second comparison by asking the Domain table.
    """

    def __new__(cls):
        return super().__new__(cls, "{hosts of the Domain table}")

    def lower(self):
        return self

    def __eq__(self, other):
        if isinstance(other, FirmHosts):
            return True
        return isinstance(other, str) and other != "*" and "{" not in other and is_known_host(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__
