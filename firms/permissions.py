"""Who may do what on a firm's host, in one place (the table is `docs/permissions.md`).

Pages ask for a permission with `permission_required` (function views) or `PermissionRequiredMixin` (class
views); dossier pages go through `dossiers.access.dossier_view`, which scopes entrepreneurs to their own
dossiers. Nothing else checks roles by hand.
"""

from enum import StrEnum
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import Membership
from .tenancy import request_firm


class Permission(StrEnum):
    WORK = "work"  # open the firm's pages, work on every dossier: owners and staff
    MANAGE_FIRM = "manage_firm"  # company details, team, branding, sync keys: owners


RIGHTS: dict[Permission, frozenset[str]] = {
    Permission.WORK: frozenset({Membership.Role.OWNER, Membership.Role.STAFF}),
    Permission.MANAGE_FIRM: frozenset({Membership.Role.OWNER}),
}

REFUSALS = {
    Permission.WORK: _("Only the firm's team can do this."),
    Permission.MANAGE_FIRM: _("Only the firm's owner can change this."),
}


def has_permission(request, permission: Permission) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in RIGHTS[permission]


def permission_required(permission: Permission, *, to_change: Permission | None = None):
    """Only on a firm's host (else 404), only logged in (else the login page), only with `permission` (else 403).

    With `to_change`, anyone with `permission` may look at the page, but a POST without `to_change` is refused
    with a message and sent back to the page (settings pages that staff may read and only owners change)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            refusal = check(request, permission)
            if refusal is not None:
                return refusal
            if to_change is not None and request.method == "POST" and not has_permission(request, to_change):
                messages.error(request, REFUSALS[to_change])
                return redirect(request.get_full_path())
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def check(request, permission: Permission):
    """None when the request may go on; else the answer (login redirect) or an exception (404, 403)."""
    if request_firm(request) is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_permission(request, permission):
        raise PermissionDenied
    return None


class PermissionRequiredMixin:
    """For class-based views: `permission = Permission.X`."""

    permission: Permission = Permission.WORK

    def dispatch(self, request, *args, **kwargs):
        refusal = check(request, self.permission)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)
