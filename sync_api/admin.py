from django.contrib import admin

from .models import AgentHeartbeat, SyncKey


@admin.register(SyncKey)
class SyncKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "firm", "created_at", "revoked_at", "last_used_at", "last_used_ip")
    list_filter = ("firm",)
    search_fields = ("prefix", "name", "firm__slug")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at", "last_used_ip")


@admin.register(AgentHeartbeat)
class AgentHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("key", "seen_at", "version", "hostname", "root", "free_bytes")
