from django.urls import path

from . import views

urlpatterns = [
    path("help/", views.help_index, name="help_index"),
    path("help/<slug:slug>/", views.help_topic, name="help_topic"),
]
