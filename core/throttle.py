"""Counting failures per client address in Redis: logins, password-reset requests, activation links and sync
keys tried from one address are refused for a while once they pass their limit. Failed logins per account
are django-axes' (its lockouts and unlocks are in the operator's admin).

Counters live in the "throttle" cache, which is not keyed per firm: an address that tries on every firm's
host is counted once. A fixed window per counter (the first failure starts it)."""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _

TOO_MANY_ATTEMPTS = _("Too many attempts from your network. Wait a quarter of an hour, then try again.")
TOO_MANY_REQUESTS = _("Too many requests from your network. Wait a while, then try again.")
INVALID_LINKS = _("Too many invalid links from your network. Wait a quarter of an hour, then try again.")


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    seconds: int


def limit(name: str) -> Limit:
    attempts, seconds = settings.THROTTLE_LIMITS[name]
    return Limit(name, attempts, seconds)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address the outermost of
    them saw (X-Forwarded-For read from the right, so a client cannot choose it)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def axes_client_address(request) -> str | None:
    """The same address for django-axes, which stores it as an IP address (None when there is none)."""
    if request is None:
        return None
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _key(which: Limit, address: str) -> str:
    return f"throttle:{which.name}:{address}"


def is_blocked(name: str, request) -> bool:
    """The address has used up its attempts for this kind of request."""
    which = limit(name)
    return (caches["throttle"].get(_key(which, client_address(request))) or 0) >= which.attempts


def record(name: str, request) -> None:
    """One more attempt (a failure, or a request that counts) from the request's address."""
    which = limit(name)
    key = _key(which, client_address(request))
    cache = caches["throttle"]
    if not cache.add(key, 1, which.seconds):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, which.seconds)


def reset(name: str, request) -> None:
    caches["throttle"].delete(_key(limit(name), client_address(request)))
