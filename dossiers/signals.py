"""Keeps a dossier's "last activity" current when its entrepreneur logs in on the firm's host."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from firms.models import DossierAccess
from firms.tenancy import request_firm

from .models import Dossier


@receiver(user_logged_in)
def record_entrepreneur_login(sender, request, user, **kwargs):
    firm = request_firm(request) if request is not None else None
    if firm is None:
        return
    ids = DossierAccess.objects.filter(user=user, firm=firm).values_list("dossier_id", flat=True)
    Dossier.objects.filter(pk__in=list(ids)).update(last_activity_at=timezone.now())
