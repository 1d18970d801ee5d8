"""Branding URLs on a firm's host."""

from django.urls import path

from . import views

urlpatterns = [
    path("settings/branding/", views.branding_settings, name="branding_settings"),
    path("branding/files/<str:file_name>", views.branding_file, name="branding_file"),
    path("branding/theme.css", views.theme, name="branding_theme"),
]
