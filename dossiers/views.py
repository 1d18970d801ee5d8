"""Dossier pages: the accountant's list and detail, the entrepreneur's home."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render

from .access import dossiers_for


def entrepreneur_home(request):
    """The entrepreneur's start page on the firm's host: their own dossier(s) only."""
    firm = getattr(request, "tenant", None)
    if firm is None or firm.is_public:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.membership is not None:
        return redirect("dashboard")
    return render(request, "dossiers/entrepreneur_home.html", {"dossiers": dossiers_for(request)})
