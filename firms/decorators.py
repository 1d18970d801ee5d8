"""Access decorators for views on a firm's host: the one place that says who may open a page."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def _on_firm_host(request) -> bool:
    firm = getattr(request, "tenant", None)
    return firm is not None and not firm.is_public


def firm_staff_required(view):
    """Owners and staff of the host's firm only; others are sent to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _on_firm_host(request):
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def firm_owner_required(view):
    """The owner of the host's firm only."""

    @wraps(view)
    @firm_staff_required
    def wrapper(request, *args, **kwargs):
        if request.membership.role != "owner":
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
