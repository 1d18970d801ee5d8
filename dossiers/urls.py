"""Dossier URLs on a firm's host."""

from django.urls import path

from . import contact_views, views

urlpatterns = [
    path("dossiers/", views.dossier_list, name="dossier_list"),
    path("dossiers/add/", views.dossier_add, name="dossier_add"),
    path("dossiers/invite/", views.dossier_invite, name="dossier_invite"),
    path("dossiers/export.xlsx", views.dossier_export, name="dossier_export"),
    path("dossiers/import/", views.dossier_import, name="dossier_import"),
    path("dossiers/<int:dossier_id>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:dossier_id>/open-as-entrepreneur/", views.open_as_entrepreneur, name="open_as_entrepreneur"),
    path("dossiers/back-to-accountant/", views.close_entrepreneur_view, name="close_entrepreneur_view"),
    path("dossiers/<int:dossier_id>/archive/", views.dossier_archive, name="dossier_archive"),
    path("dossiers/<int:dossier_id>/link-request/", views.dossier_link_request, name="dossier_link_request"),
    path("my/link-requests/<int:link_id>/<str:decision>/", views.link_request_decide, name="link_request_decide"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("my/", views.entrepreneur_home, name="entrepreneur_home"),
    path("my/<int:dossier_id>/", views.entrepreneur_dossier, name="entrepreneur_dossier"),
]

urlpatterns += [
    path("dossiers/<int:dossier_id>/<str:section>/", contact_views.record_list, name="record_list"),
    path("dossiers/<int:dossier_id>/<str:section>/search.json", contact_views.record_search, name="record_search"),
    path("dossiers/<int:dossier_id>/<str:section>/add/", contact_views.record_edit, name="record_add"),
    path("dossiers/<int:dossier_id>/<str:section>/<int:record_id>/", contact_views.record_edit, name="record_edit"),
    path("dossiers/<int:dossier_id>/<str:section>/import/", contact_views.record_import, name="record_import"),
    path("dossiers/<int:dossier_id>/<str:section>/export.xlsx", contact_views.record_export, name="record_export"),
]
