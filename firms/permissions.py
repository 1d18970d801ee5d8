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

# An entrepreneur is not a member of the firm: someone logged in on its host without a membership, whose reach
# is the dossiers they were given (`dossiers.access.dossiers_for`). An accountant in "the entrepreneur's view"
# keeps their own role: rights follow the person, not the page.
ENTREPRENEUR = "entrepreneur"


class Permission(StrEnum):
    ENTER = "enter"  # open one's dossiers: make sales documents, upload purchases and scans, quick entry, submit
    WORK = "work"  # open the firm's pages, work on every dossier: owners and staff
    DECIDE = "decide"  # what leaves for the books: keep, move, export anyway, delete received, bank connection
    MANAGE_FIRM = "manage_firm"  # company details, team, branding, sync keys: owners


RIGHTS: dict[Permission, frozenset[str]] = {
    Permission.ENTER: frozenset({Membership.Role.OWNER, Membership.Role.STAFF, ENTREPRENEUR}),
    Permission.WORK: frozenset({Membership.Role.OWNER, Membership.Role.STAFF}),
    Permission.DECIDE: frozenset({Membership.Role.OWNER, Membership.Role.STAFF}),
    Permission.MANAGE_FIRM: frozenset({Membership.Role.OWNER}),
}

REFUSALS = {
    Permission.ENTER: _("Log in to do this."),
    Permission.WORK: _("Only the firm's team can do this."),
    Permission.DECIDE: _("Only your accountant can decide this."),
    Permission.MANAGE_FIRM: _("Only the firm's owner can change this."),
}


def role_of(request) -> str | None:
    """The requester's role on this host: the membership's, else "entrepreneur" for anyone logged in (their
    dossiers are scoped by `dossiers.access`), else None."""
    # In the entrepreneur's view `membership` is None (the pages answer as for the entrepreneur) and the person's
    # own membership is `staff_membership` (dossiers.entrepreneur_view): rights follow the person.
    membership = getattr(request, "staff_membership", None) or getattr(request, "membership", None)
    if membership is not None:
        return membership.role
    user = getattr(request, "user", None)
    return ENTREPRENEUR if user is not None and user.is_authenticated else None


def has_permission(request, permission: Permission) -> bool:
    return role_of(request) in RIGHTS[permission]


def rights_of(request) -> frozenset[str]:
    """Every permission the requester has (for templates: `{% if "decide" in rights %}`)."""
    role = role_of(request)
    return frozenset(permission.value for permission, roles in RIGHTS.items() if role in roles)


def require(request, permission: Permission) -> None:
    """For a view whose permission depends on the object (deleting a draft is entering, deleting a received
    document is deciding): raises PermissionDenied when the requester lacks it."""
    if not has_permission(request, permission):
        raise PermissionDenied(REFUSALS[permission])


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
