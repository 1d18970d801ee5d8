"""The one place a `next` parameter becomes a redirect: only to a path of the host the request came to (never
another host, scheme-relative `//host`, backslash tricks or `javascript:`), else a fallback."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(request, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request, fallback: str = "", field: str = "next") -> str:
    """The request's `next` (POST first, then GET) when it is safe, else `fallback` (a URL name or path;
    "" when there is none)."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if is_safe_next(request, target):
        return target
    return resolve_url(fallback) if fallback else ""
