"""Documents URLs on a firm's host."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<int:dossier_id>/quick-entry/", views.inbox, name="inbox"),
    path("dossiers/<int:dossier_id>/quick-entry/<int:item_id>/", views.inbox_item, name="inbox_item"),
    path("dossiers/<int:dossier_id>/quick-entry/<int:item_id>/file", views.inbox_file, name="inbox_file"),
    path("dossiers/<int:dossier_id>/documents/", views.document_list, name="document_list"),
    path("dossiers/<int:dossier_id>/documents/new/", views.sales_edit, name="sales_new"),
    path("dossiers/<int:dossier_id>/documents/<int:document_id>/edit/", views.sales_edit, name="sales_edit"),
    path("dossiers/<int:dossier_id>/documents/<int:document_id>/", views.document_detail, name="document_detail"),
    path("dossiers/<int:dossier_id>/documents/<int:document_id>/document.pdf", views.document_pdf, name="document_pdf"),
    path(
        "dossiers/<int:dossier_id>/documents/<int:document_id>/ubl.xml",
        views.document_download,
        name="document_download",
    ),
    path("dossiers/<int:dossier_id>/documents/<int:document_id>/move/", views.document_move, name="document_move"),
    path(
        "dossiers/<int:dossier_id>/documents/<int:document_id>/export-anyway/",
        views.document_export_anyway,
        name="document_export_anyway",
    ),
    path(
        "dossiers/<int:dossier_id>/documents/<int:document_id>/<str:decision>/",
        views.document_decide,
        name="document_decide",
    ),
]
