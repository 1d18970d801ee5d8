"""django-tenants' host → tenant middleware, minus one database lookup per Billsync API call.

The API is served on the public host only, and agents call it thousands of times a minute: for addresses
under /api/ a host found to be the public site's is remembered in this process for a minute (the public site's
hosts hardly ever change; should one move to a firm within that minute, the API there still serves only what
the sync key's own firm has). Every other request, and any host that is not the public site's, is looked up
as before."""

import threading
import time

from django.core.exceptions import DisallowedHost
from django.db import connection
from django_tenants.middleware.main import TenantMainMiddleware

API_PREFIX = "/api/"
REMEMBER_SECONDS = 60


class TenantMiddleware(TenantMainMiddleware):
    _public_hosts: dict[str, tuple[object, float]] = {}
    _lock = threading.Lock()

    def process_request(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_request(request)
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return super().process_request(request)
        remembered = self._public_hosts.get(hostname)
        if remembered is not None and remembered[1] > time.monotonic():
            tenant = remembered[0]
            connection.set_schema_to_public()
            request.tenant = tenant
            connection.set_tenant(tenant)
            self.setup_url_routing(request)
            return None
        answer = super().process_request(request)
        tenant = getattr(request, "tenant", None)
        if answer is None and tenant is not None and tenant.is_public:
            with self._lock:
                self._public_hosts[hostname] = (tenant, time.monotonic() + REMEMBER_SECONDS)
        return answer
