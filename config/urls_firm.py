"""URLs of a firm's hosts (<slug>.<PORTAL_DOMAIN> and its custom host)."""

from django.urls import include, path

from firms import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/handoff/<str:token>/", views.handoff, name="handoff"),
    path("", include("config.urls_auth")),
    path("settings/profile/", views.profile, name="profile"),
    path("settings/team/", views.team, name="team"),
    path("settings/team/<int:membership_id>/remove/", views.team_remove, name="team_remove"),
    path("join/<str:token>/", views.join, name="join"),
    path("", include("help.urls")),
    path("", include("branding.urls")),
    path("", include("sync_api.urls_firm")),
    path("", include("documents.urls")),  # before dossiers: "documents" is not a contacts section
    path("", include("exports.urls")),
    path("", include("banking.urls")),  # before dossiers: "bank" is not a contacts section
    path("", include("dossiers.urls")),
]

# An outage of PostgreSQL, Redis or the broker answers 503 with Retry-After (core/outage.py).
handler500 = "core.outage.server_error"
