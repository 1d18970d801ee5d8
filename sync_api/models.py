"""Public-schema models: a firm's sync keys (the key alone says which firm an agent works for) and the last
heartbeat of the agent using each key."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firms.models import Firm


class SyncKey(models.Model):
    """A secret that lets one Billsync agent fetch the firm's export items. Only its sha256 is stored; the
    prefix (shown in the portal and used to look the key up) is not secret."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="sync_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("sync key")
        verbose_name_plural = _("sync keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AgentHeartbeat(models.Model):
    """What the agent using a key said at the start of its last run or poll."""

    key = models.OneToOneField(SyncKey, on_delete=models.CASCADE, related_name="heartbeat")
    seen_at = models.DateTimeField(default=timezone.now)
    version = models.CharField(max_length=40, blank=True)
    hostname = models.CharField(max_length=255, blank=True)
    root = models.CharField(max_length=500, blank=True)
    free_bytes = models.BigIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("agent heartbeat")
        verbose_name_plural = _("agent heartbeats")
