""" "Open as the entrepreneur": an accountant switches to the entrepreneur's view of one dossier, on every page
(their menu, their tabs, their pages, nothing else of the firm) with a banner, until they leave it. Entries and
exits are in the dossier's history.

While it lasts, `request.membership` is None (the pages answer as for the entrepreneur, and the firm's pages
refuse as they would refuse the entrepreneur), `request.staff_membership` keeps the real membership (only for
leaving), and `request.acting_dossier` is the dossier: `access.dossiers_for` then reaches that dossier only.
"""

from .models import Dossier
from .services import audit

ACTING_KEY = "acting_as_dossier"


def enter(request, dossier: Dossier) -> None:
    request.session[ACTING_KEY] = dossier.pk
    audit(dossier, request.user, "opened_as_entrepreneur")


def leave(request) -> int | None:
    """Back to the accountant's view; returns the dossier's id (None when not in it)."""
    dossier_id = request.session.pop(ACTING_KEY, None)
    dossier = Dossier.objects.filter(pk=dossier_id).first() if dossier_id else None
    if dossier is not None:
        audit(dossier, request.user, "closed_entrepreneur_view")
    return dossier_id


class EntrepreneurViewMiddleware:
    """After FirmAccessMiddleware: turns a staff member who opened a dossier as the entrepreneur into that
    dossier's entrepreneur for the request. A dossier that is gone or archived ends the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.staff_membership = getattr(request, "membership", None)
        request.acting_dossier = None
        dossier_id = request.session.get(ACTING_KEY) if hasattr(request, "session") else None
        if dossier_id and request.staff_membership is not None:
            dossier = Dossier.objects.not_archived().filter(pk=dossier_id).only("pk", "name").first()
            if dossier is None:
                request.session.pop(ACTING_KEY, None)
            else:
                request.acting_dossier = dossier
                request.membership = None
        return self.get_response(request)
