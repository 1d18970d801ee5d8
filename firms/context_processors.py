"""Template context shared by every page: the firm of the host and the visitor's role in it."""

from django.conf import settings

from .permissions import rights_of
from .tenancy import request_firm


def portal(request):
    firm = request_firm(request)
    on_firm_host = firm is not None
    membership = getattr(request, "membership", None)
    return {
        "firm": firm if on_firm_host else None,
        "on_firm_host": on_firm_host,
        "membership": membership,
        "is_firm_staff": membership is not None,
        "is_firm_owner": membership is not None and membership.is_owner,
        "rights": rights_of(request) if on_firm_host else frozenset(),
        "portal_domain": settings.PORTAL_DOMAIN,
        "acting_dossier": getattr(request, "acting_dossier", None),
    }
