"""The operator sees each firm's branding (read-only: firms change it on their Branding page)."""

from django.contrib import admin

from .models import Branding


@admin.register(Branding)
class BrandingAdmin(admin.ModelAdmin):
    list_display = ["firm", "custom_host", "main_colour", "nav_colour", "button_colour", "updated_at"]
    search_fields = ["firm__name", "custom_host"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
