"""URLs of a firm's hosts: Settings → Integrations (Billsync)."""

from django.urls import path

from . import views

urlpatterns = [
    path("settings/integrations/", views.integrations, name="sync_integrations"),
    path("settings/integrations/keys/<int:key_id>/revoke/", views.revoke, name="sync_key_revoke"),
]
