"""Isolation between firms, in one place: on a firm's host only its own people are logged in.

Sessions live in the public schema and a cookie could be replayed against another host (or sent with a
spoofed Host header); whoever has no access to the firm of the host is treated as anonymous there.
"""

from django.contrib.auth.models import AnonymousUser

from .services import can_enter, membership_of
from .tenancy import request_firm


class FirmAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        firm = request_firm(request)
        request.membership = None
        if firm is not None and request.user.is_authenticated:
            request.membership = membership_of(request.user, firm)
            if request.membership is None and not can_enter(request.user, firm):
                request.user = AnonymousUser()
        return self.get_response(request)
