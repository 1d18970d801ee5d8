"""The entrepreneur's reach, in one place: the dossiers of the host's firm they were given access to."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from firms.models import DossierAccess
from firms.permissions import Permission, require
from firms.tenancy import request_firm

from .models import Dossier


def dossier_ids_of(user, firm) -> list[int]:
    return list(DossierAccess.objects.filter(user=user, firm=firm).values_list("dossier_id", flat=True))


def dossiers_for(request):
    """The dossiers the requester may open on this host: all of them for the firm's staff, their own for an
    entrepreneur, none for anyone else."""
    if not request.user.is_authenticated:
        return Dossier.objects.none()
    if getattr(request, "acting_dossier", None) is not None:  # staff in the entrepreneur's view of one dossier
        return Dossier.objects.filter(pk=request.acting_dossier.pk)
    if request.membership is not None:
        return Dossier.objects.all()
    own = Dossier.objects.filter(pk__in=dossier_ids_of(request.user, request.tenant))
    return own.not_archived()


def dossier_view(view=None, *, permission: Permission = Permission.ENTER):
    """For views taking `dossier_id`: loads the dossier if the requester may open it, else 404 (a guessed
    URL reveals nothing), and passes it on as `dossier`. With `permission` (`@dossier_view(permission=...)`),
    someone who may open the dossier but lacks the permission gets 403 (`firms.permissions.RIGHTS`)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, dossier_id, *args, **kwargs):
            if request_firm(request) is None:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            dossier = get_object_or_404(dossiers_for(request), pk=dossier_id)
            require(request, permission)
            return view(request, dossier, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
