"""Settings → Integrations → Billsync on a firm's host: sync keys (owner creates and revokes, staff view),
the agents' connection status and versions, the downloads and the setup guide; and the public downloads page."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import PortalError
from firms.permissions import Permission, permission_required

from .downloads import agent_downloads, find_download, is_outdated, latest_agent_version
from .forms import SyncKeyForm
from .models import SyncKey
from .services import agent_status, create_sync_key, revoke_sync_key


def public_address(request) -> str:
    """The portal's public address as an agent should use it (`*.localhost` names only resolve in browsers)."""
    host = settings.PORTAL_DOMAIN
    if host == "localhost" and settings.PUBLIC_HOSTS:
        host = settings.PUBLIC_HOSTS[0]
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    return f"{request.scheme}://{host}" + ("" if port in ("", default_port) else f":{port}")


def downloads_url(request) -> str:
    """The public downloads page, as a firm's page links to it."""
    return public_address(request) + reverse("billsync_downloads", urlconf="config.urls_public")


def _page(request, form, new_key: str = "", status: int = 200):
    firm = request.tenant
    keys = SyncKey.objects.filter(firm=firm).select_related("heartbeat").order_by("revoked_at", "-created_at")
    agents = agent_status(firm)
    latest = latest_agent_version()
    for agent in agents["agents"]:
        agent["outdated"] = is_outdated(agent["version"], latest)
    return render(
        request,
        "sync_api/integrations.html",
        {
            "form": form,
            "keys": keys,
            "new_key": new_key,
            "agent_status": agents,
            "public_address": public_address(request),
            "downloads": agent_downloads(),
            "downloads_url": downloads_url(request),
            "latest_version": latest,
            "connected_minutes": max(1, 3 * settings.SYNC_POLL_SECONDS // 60),
        },
        status=status,
    )


@permission_required(Permission.WORK, to_change=Permission.MANAGE_FIRM)
def integrations(request):
    """Owners create keys here; a new key is shown in this one answer and never again."""
    form = SyncKeyForm(request.POST or None)
    if request.method != "POST":
        return _page(request, form)
    if form.is_valid():
        try:
            _key, raw = create_sync_key(request.tenant, form.cleaned_data["name"], request.user)
        except PortalError as error:
            form.add_error("name", error.message)
        else:
            return _page(request, SyncKeyForm(), new_key=raw)
    return _page(request, form, status=400)


@require_POST
@permission_required(Permission.MANAGE_FIRM)
def revoke(request, key_id):
    try:
        key = revoke_sync_key(request.tenant, key_id)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The key “%(name)s” was revoked; agents using it are refused from now on.") % {"name": key.name}
        )
    return redirect("sync_integrations")


# The agent's downloads, on the public host ------------------------------------------------------------------


def downloads(request):
    """The Billsync agent's files with version, size and sha256 (public: the agent is free software)."""
    offered = agent_downloads()
    return render(
        request,
        "sync_api/downloads.html",
        {"downloads": offered, "latest_version": latest_agent_version(), "public_address": public_address(request)},
    )


def download(request, name):
    """One of the files listed on the downloads page, as an attachment, with its sha256 in a header."""
    offered = find_download(name)
    if offered is None:
        raise Http404("No such download.")
    response = FileResponse(open(offered.path, "rb"), as_attachment=True, filename=offered.name)
    response["X-Checksum-Sha256"] = offered.sha256
    response["Cache-Control"] = "public, max-age=300"
    return response
