"""The platform operator's admin: firms, their hosts, users and memberships."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Domain, Firm, Membership, StaffInvitation, User


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "enterprise_number", "schema_name", "created_at"]
    search_fields = ["name", "slug", "enterprise_number"]
    readonly_fields = ["schema_name", "created_at"]
    inlines = [DomainInline, MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_active", "language"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "language"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "firm", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
