""" "Open as the entrepreneur" switches the accountant to the entrepreneur's view on every page until they leave
it, written in the history; the entrepreneur's home shows what to do next, the trial and their accountant."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dossiers.models import Dossier, DossierStatus
from tests.factories import DossierFactory

from .test_access import entrepreneur_of

PAGES = [
    "/my/{pk}/",
    "/dossiers/{pk}/documents/",
    "/dossiers/{pk}/quick-entry/",
    "/dossiers/{pk}/bank/",
    "/dossiers/{pk}/export/",
    "/dossiers/{pk}/customers/",
    "/dossiers/{pk}/suppliers/",
    "/dossiers/{pk}/products/",
]


@pytest.fixture
def acting(logged_in_a, firm_a):
    dossier = DossierFactory(name="Bakkerij Peeters")
    logged_in_a.post(f"/dossiers/{dossier.pk}/open-as-entrepreneur/")
    return dossier


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_the_entrepreneurs_with_the_banner(logged_in_a, acting, page):
    response = logged_in_a.get(page.format(pk=acting.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="entrepreneur-view-banner"' in html and "Bakkerij Peeters" in html
    assert 'class="mainnav"' not in html  # the entrepreneur's menu: not the firm's
    assert f'href="/dossiers/{acting.pk}/integrations/"' not in html  # the entrepreneur's tabs
    assert f'href="/my/{acting.pk}/"' in html


def test_other_dossiers_are_out_of_reach_and_the_banner_stays_until_leaving(logged_in_a, acting):
    other = DossierFactory()
    assert logged_in_a.get(f"/dossiers/{other.pk}/documents/").status_code == 404
    assert logged_in_a.get("/").url == "/my/"
    # Rights follow the person (firms/permissions.py): a firm page typed by hand opens, still with the banner.
    dashboard = logged_in_a.get("/dashboard/")
    assert 'id="entrepreneur-view-banner"' in dashboard.content.decode()
    back = logged_in_a.post("/dossiers/back-to-accountant/")
    assert back["Location"] == f"/dossiers/{acting.pk}/"
    assert logged_in_a.get("/dashboard/").status_code == 200
    assert 'id="entrepreneur-view-banner"' not in logged_in_a.get(f"/dossiers/{acting.pk}/").content.decode()


def test_entries_and_exits_are_in_the_history_in_words(logged_in_a, acting):
    logged_in_a.post("/dossiers/back-to-accountant/")
    actions = list(acting.audit.order_by("created_at", "pk").values_list("action", flat=True))
    assert actions[-2:] == ["opened_as_entrepreneur", "closed_entrepreneur_view"]


def test_entrepreneurs_cannot_use_the_leave_button(firm_a):
    dossier = DossierFactory()
    client = entrepreneur_of(firm_a, dossier)
    assert client.post("/dossiers/back-to-accountant/").status_code == 404


def test_an_archived_dossier_ends_the_entrepreneur_view(logged_in_a, acting):
    Dossier.objects.filter(pk=acting.pk).update(status=DossierStatus.ARCHIVED)
    assert 'id="entrepreneur-view-banner"' not in logged_in_a.get("/dashboard/").content.decode()


def test_the_entrepreneurs_home_shows_next_steps_trial_and_accountant(firm_a, owner_a):
    now = timezone.now()
    ends = datetime(2026, 12, 29, 12, tzinfo=ZoneInfo("Europe/Brussels"))
    dossier = DossierFactory(
        status=DossierStatus.TRIAL, trial_ends_at=max(ends, now + timedelta(days=3)), assigned_to=owner_a
    )
    client = entrepreneur_of(firm_a, dossier)
    html = client.get(f"/my/{dossier.pk}/").content.decode()
    days = (timezone.localdate(dossier.trial_ends_at) - timezone.localdate(now)).days
    assert f"Je proefperiode loopt af op {dossier.trial_ends_at:%d/%m/%Y}, nog {days} dagen." in html
    for url in ("documents/new/", "documents/", "quick-entry/", "bank/"):
        assert f'href="/dossiers/{dossier.pk}/{url}"' in html
    assert "Firm A" in html and "owner-a@example.com" in html


def test_the_trial_status_is_the_same_on_the_list_the_dossier_page_and_the_home(logged_in_a, firm_a):
    ended = DossierFactory(status=DossierStatus.TRIAL, trial_ends_at=timezone.now() - timedelta(days=1))
    running = DossierFactory(status=DossierStatus.TRIAL, trial_ends_at=timezone.now() + timedelta(days=10))
    listing = logged_in_a.get("/dossiers/").content.decode()
    assert listing.count("proefperiode tot") == 1
    assert "proefperiode tot" not in logged_in_a.get(f"/dossiers/{ended.pk}/").content.decode()
    assert "proefperiode tot" in logged_in_a.get(f"/dossiers/{running.pk}/").content.decode()
    assert (
        'id="trial"' not in entrepreneur_of(firm_a, ended, "ended@example.com").get(f"/my/{ended.pk}/").content.decode()
    )
    assert (
        'id="trial"'
        in entrepreneur_of(firm_a, running, "running@example.com").get(f"/my/{running.pk}/").content.decode()
    )
