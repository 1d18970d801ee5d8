"""`{% dossier_export_status dossier %}`: what waits or went wrong for one dossier, for its General page."""

from django import template

from banking.gaps import gaps_for_dossier
from documents.models import Document, DocumentStatus, InboxItem

from ..models import ExportItem, ItemState
from ..services import next_automatic_export, settings_for

register = template.Library()


@register.inclusion_tag("exports/dossier_status.html")
def dossier_export_status(dossier):
    return {
        "dossier": dossier,
        "held_back": Document.objects.filter(dossier=dossier, status=DocumentStatus.NEEDS_ATTENTION).count(),
        "quick_entry": InboxItem.objects.filter(dossier=dossier, document__isnull=True).count(),
        "failed": ExportItem.objects.filter(dossier=dossier, state=ItemState.FAILED).count(),
        "waiting": ExportItem.objects.filter(dossier=dossier, state=ItemState.WAITING).count(),
        "gaps": len(gaps_for_dossier(dossier.pk)),
        "next_export": next_automatic_export(settings_for(dossier)),
    }
