"""Export URLs on a firm's host."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<int:dossier_id>/integrations/", views.integrations, name="export_integrations"),
    path("dossiers/<int:dossier_id>/export/", views.export, name="export"),
    path("dossiers/<int:dossier_id>/export/items/<int:item_id>/requeue/", views.requeue, name="export_requeue"),
    path("dossiers/export-selected/", views.bulk_export, name="bulk_export"),
]
