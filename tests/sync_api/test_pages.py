"""Settings → Integrations → Billsync: the owner creates and revokes keys (shown once), staff only look; the
connection status; the create_sync_key command."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import Client

from sync_api.models import SyncKey
from sync_api.services import authenticate_key, create_sync_key

from ..conftest import host_of


def test_the_owner_creates_a_key_that_is_shown_once(logged_in_a, firm_a):
    page = logged_in_a.get("/settings/integrations/")
    assert page.status_code == 200
    assert "Sync-sleutels" in page.content.decode()  # Dutch by default
    response = logged_in_a.post("/settings/integrations/", {"name": "Server kantoor Gent"})
    assert response.status_code == 200
    key = SyncKey.objects.get(firm=firm_a, name="Server kantoor Gent")
    html = response.content.decode()
    raw = html.split('<code id="new-key">')[1].split("</code>")[0]
    assert raw.startswith(key.prefix + "_") and authenticate_key(raw).pk == key.pk
    assert f"--key {raw}" in html and "--url http://127.0.0.1" in html
    later = logged_in_a.get("/settings/integrations/").content.decode()
    assert raw not in later and f"{key.prefix}_…" in later


def test_a_key_needs_a_name(logged_in_a, firm_a):
    response = logged_in_a.post("/settings/integrations/", {"name": "  "})
    assert response.status_code == 400
    assert not SyncKey.objects.filter(firm=firm_a).exists()


def test_staff_see_keys_and_status_but_cannot_create_or_revoke(client_a, staff_a, firm_a):
    key, _raw = create_sync_key(firm_a, "Server")
    client_a.force_login(staff_a)
    page = client_a.get("/settings/integrations/").content.decode()
    assert "Server" in page and 'name="name"' not in page
    client_a.post("/settings/integrations/", {"name": "Sneaky"})
    assert not SyncKey.objects.filter(name="Sneaky").exists()
    assert client_a.post(f"/settings/integrations/keys/{key.pk}/revoke/").status_code == 403
    assert SyncKey.objects.get(pk=key.pk).revoked_at is None


def test_the_owner_revokes_a_key(logged_in_a, firm_a):
    key, raw = create_sync_key(firm_a, "Old server")
    response = logged_in_a.post(f"/settings/integrations/keys/{key.pk}/revoke/", follow=True)
    assert "Old server" in response.content.decode()
    assert SyncKey.objects.get(pk=key.pk).revoked_at is not None
    assert authenticate_key(raw) is None


def test_a_key_of_another_firm_cannot_be_revoked(logged_in_a, firm_b):
    key, _raw = create_sync_key(firm_b, "B's server")
    logged_in_a.post(f"/settings/integrations/keys/{key.pk}/revoke/")
    assert SyncKey.objects.get(pk=key.pk).revoked_at is None
    assert "B's server" not in logged_in_a.get("/settings/integrations/").content.decode()


def test_outsiders_do_not_reach_the_page(firm_a, firm_b, owner_b):
    anonymous = Client(HTTP_HOST=host_of(firm_a))
    assert anonymous.get("/settings/integrations/").status_code == 302
    other = Client(HTTP_HOST=host_of(firm_a))
    other.force_login(owner_b)
    assert other.get("/settings/integrations/").status_code in (302, 403)


@pytest.mark.parametrize(
    "language,text", [("fr", "Clés de synchronisation"), ("en", "Sync keys"), ("nl", "Sync-sleutels")]
)
def test_the_page_speaks_dutch_french_and_english(logged_in_a, language, text):
    logged_in_a.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = logged_in_a.get("/settings/integrations/").content.decode()
    assert text in html


def test_the_settings_menu_links_to_integrations(logged_in_a):
    assert 'href="/settings/integrations/"' in logged_in_a.get("/dashboard/").content.decode()


def test_the_status_include_renders_for_the_dashboard(firm_a):
    from sync_api.services import Heartbeat, agent_status, record_heartbeat

    html = render_to_string("sync_api/agent_status.html", {"agent_status": agent_status(firm_a)})
    assert "Billsync" in html
    key, _raw = create_sync_key(firm_a, "Server")
    record_heartbeat(key, Heartbeat(version="0.1.0", hostname="BOB", last_error="disk full"))
    html = render_to_string("sync_api/agent_status.html", {"agent_status": agent_status(firm_a)})
    assert "disk full" in html


def test_the_billsync_status_tag_works_on_any_firm_page(firm_a, rf):
    from django.template import Context, Template

    from sync_api.services import Heartbeat, record_heartbeat

    key, _raw = create_sync_key(firm_a, "Server")
    record_heartbeat(key, Heartbeat(version="0.1.0", hostname="BOB"))
    request = rf.get("/")
    request.tenant = firm_a
    html = Template("{% load billsync %}{% billsync_status %}").render(Context({"request": request}))
    assert "badge ok" in html


def test_the_command_prints_the_key_on_its_last_line(firm_a):
    out = io.StringIO()
    call_command("create_sync_key", "--firm", "firm-a", "--name", "BOB server", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert authenticate_key(raw).firm_id == firm_a.pk
    with pytest.raises(CommandError):
        call_command("create_sync_key", "--firm", "nope", "--name", "x", stdout=io.StringIO())
