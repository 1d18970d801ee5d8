"""Dossier URLs on a firm's host."""

from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.entrepreneur_home, name="entrepreneur_home"),
]
