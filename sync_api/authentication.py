"""Who is calling the Billsync API, in one place: the sync key (`Authorization: Bearer <key>`) names the firm,
and the request runs in that firm's schema, so items of other firms do not exist for it (404, not 403)."""

import math

from django.core.cache import cache
from django.db import connection
from rest_framework import authentication, exceptions, permissions, throttling

from core import throttle

from .models import SyncKey
from .services import authenticate_key


class AgentUser:
    """The request.user of an API call: the agent behind a key (not a person, no session)."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, key: SyncKey):
        self.key = key

    def __str__(self):
        return f"agent {self.key.name}"


class SyncKeyAuthentication(authentication.BaseAuthentication):
    """Bearer sync key; on success the connection is in the key's firm schema until the view resets it."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the key as `Authorization: Bearer <key>`.")
        if throttle.is_blocked("sync_key", request):
            # Too many wrong keys from this address: nothing is checked until the window has passed.
            raise exceptions.Throttled(wait=throttle.limit("sync_key").seconds)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            throttle.record("sync_key", request)
            raise exceptions.AuthenticationFailed("This sync key is not valid.") from None
        key = authenticate_key(raw, ip=request.META.get("REMOTE_ADDR"))
        if key is None:
            throttle.record("sync_key", request)
            raise exceptions.AuthenticationFailed("This sync key is not valid (unknown or revoked).")
        connection.set_tenant(key.firm)
        return AgentUser(key), key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="billsync"'


class HasSyncKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, SyncKey)


class SyncKeyThrottle(throttling.SimpleRateThrottle):
    """Requests per key (settings: REST_FRAMEWORK DEFAULT_THROTTLE_RATES["sync_key"], env SYNC_API_RATE).

    Counters per key and fixed window, read as a sliding window (this window's count plus the previous one's,
    weighted by how much of it still overlaps the last `duration` seconds): an atomic increment and a read in
    the cache, instead of DRF's list of every request's time, which at thousands of requests a minute costs
    more than the request itself. Refused requests count too."""

    scope = "sync_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, SyncKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        now = self.timer()
        window, elapsed = divmod(now, self.duration)
        counter = f"{ident}_{int(window)}"
        try:
            count = cache.incr(counter)
        except ValueError:  # the window's first request (or a lost race for it: then count on)
            count = 1 if cache.add(counter, 1, 2 * self.duration + 1) else cache.incr(counter)
        previous = cache.get(f"{ident}_{int(window) - 1}") or 0
        self.wait_seconds = self.duration - elapsed
        return previous * (1 - elapsed / self.duration) + count <= self.num_requests

    def wait(self):
        return max(1, math.ceil(getattr(self, "wait_seconds", self.duration)))


try:  # describe the key in the OpenAPI schema
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class SyncKeyScheme(OpenApiAuthenticationExtension):
        target_class = SyncKeyAuthentication
        name = "syncKey"

        def get_security_definition(self, auto_schema):
            return {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "bsk_xxxxxxxx_…",
                "description": "A sync key created on the firm's Settings → Integrations page.",
            }
except ImportError:  # pragma: no cover - drf-spectacular is a dependency
    pass
