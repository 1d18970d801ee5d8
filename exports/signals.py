"""A document that is deleted before delivery takes its open export items along (its bytes are gone)."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from documents.models import Document

from .models import ExportItem


@receiver(pre_delete, sender=Document)
def cancel_open_items(sender, instance, **kwargs):
    ExportItem.objects.open().filter(document=instance).delete()
