"""A key changed or deleted any other way than revoke_sync_key (the operator admin, a firm deleted with its keys)
is forgotten by the authentication cache too, now and once the change is committed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SyncKey
from .services import forget_key


@receiver(post_save, sender=SyncKey)
@receiver(post_delete, sender=SyncKey)
def forget_changed_key(sender, instance: SyncKey, **kwargs) -> None:
    forget_key(instance.prefix)
    transaction.on_commit(lambda: forget_key(instance.prefix))
