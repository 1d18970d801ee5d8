"""`{% dossier_status_badge dossier %}`: the status a dossier shows everywhere (list, dossier page), from
`Dossier.access_status`."""

from django import template
from django.utils import timezone

from ..models import DossierStatus

register = template.Library()


@register.inclusion_tag("dossiers/status_badge.html")
def dossier_status_badge(dossier):
    return {"dossier": dossier, "status": dossier.access_status(timezone.now()), "Status": DossierStatus}
