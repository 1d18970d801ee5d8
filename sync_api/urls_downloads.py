"""URLs of the public host for the agent's downloads (`/downloads/billsync/`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.downloads, name="billsync_downloads"),
    path("<str:name>", views.download, name="billsync_download"),
]
