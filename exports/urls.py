"""Export URLs on a firm's host."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<int:dossier_id>/integrations/", views.integrations, name="export_integrations"),
    path("dossiers/<int:dossier_id>/export/", views.export, name="export"),
    path("dossiers/<int:dossier_id>/export/items/<int:item_id>/requeue/", views.requeue, name="export_requeue"),
    path("dossiers/export-selected/", views.bulk_export, name="bulk_export"),
    path("dossiers/change-settings/", views.bulk_change, name="bulk_change"),
    path("dossiers/change-settings/<str:job>/", views.bulk_change_progress, name="bulk_change_progress"),
    path("settings/integrations/defaults/", views.firm_defaults, name="export_defaults"),
]
