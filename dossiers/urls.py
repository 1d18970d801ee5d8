"""Dossier URLs on a firm's host."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/", views.dossier_list, name="dossier_list"),
    path("dossiers/add/", views.dossier_add, name="dossier_add"),
    path("dossiers/invite/", views.dossier_invite, name="dossier_invite"),
    path("dossiers/export.xlsx", views.dossier_export, name="dossier_export"),
    path("dossiers/import/", views.dossier_import, name="dossier_import"),
    path("dossiers/<int:dossier_id>/", views.dossier_detail, name="dossier_detail"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("my/", views.entrepreneur_home, name="entrepreneur_home"),
    path("my/<int:dossier_id>/", views.entrepreneur_dossier, name="entrepreneur_dossier"),
]
