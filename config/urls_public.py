"""URLs of the public host: landing page, sign-up, login that forwards to the firm's host, operator admin."""

from django.contrib import admin
from django.urls import include, path

from firms import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", views.signup, name="signup"),
    path("accounts/login/", views.PublicLoginView.as_view(), name="login"),
    path("accounts/choose-firm/", views.choose_firm, name="choose_firm"),
    path("", include("config.urls_auth")),
    path("admin/", admin.site.urls),
    path("", include("sync_api.urls")),  # the Billsync API and its OpenAPI schema
    path("downloads/billsync/", include("sync_api.urls_downloads")),  # the agent's files
]
