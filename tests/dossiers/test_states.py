"""A dossier's status is defined once (`Dossier.access_status`) and shown the same on the list and its page; the
dossier page's Status card costs a fixed number of queries however much the dossier holds."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.models import Dossier, DossierStatus
from exports.services import ManualChoice, export_manually, mark_failed
from tests.factories import DocumentFactory, DossierFactory


def badge_of(html: str) -> str:
    start = html.index('<span class="badge', html.index("<main"))
    return html[start : html.index("</span>", start)]


@pytest.mark.parametrize(
    ("status", "trial_days", "shown"),
    [
        (DossierStatus.TRIAL, 10, "proefperiode tot"),
        (DossierStatus.TRIAL, -1, "Actief"),  # a trial past its end is simply active, everywhere
        (DossierStatus.ACTIVE, None, "Actief"),
        (DossierStatus.INVITED, None, "Uitgenodigd"),
    ],
)
def test_the_list_and_the_dossier_page_show_the_same_status(logged_in_a, firm_a, status, trial_days, shown):
    ends = timezone.now() + timedelta(days=trial_days) if trial_days is not None else None
    dossier = DossierFactory(name="Zzz Statuscheck BV", status=status, trial_ends_at=ends)
    listed = logged_in_a.get("/dossiers/", {"q": "Statuscheck"}).content.decode()
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/").content.decode()
    in_list = listed[listed.index("Zzz Statuscheck BV") :]
    in_list = in_list[
        in_list.index('<span class="badge') : in_list.index("</span>", in_list.index('<span class="badge'))
    ]
    assert shown in in_list
    assert in_list == badge_of(page)


def test_filtering_on_trial_or_active_follows_the_shown_status(logged_in_a, firm_a):
    in_trial = DossierFactory(
        name="Filter Trial BV", status=DossierStatus.TRIAL, trial_ends_at=timezone.now() + timedelta(days=3)
    )
    ended = DossierFactory(
        name="Filter Ended BV", status=DossierStatus.TRIAL, trial_ends_at=timezone.now() - timedelta(days=3)
    )
    now = timezone.now()
    assert set(Dossier.objects.shown_as(DossierStatus.TRIAL, now)) >= {in_trial}
    assert ended not in Dossier.objects.shown_as(DossierStatus.TRIAL, now)
    assert ended in Dossier.objects.shown_as(DossierStatus.ACTIVE, now)
    trial_page = logged_in_a.get("/dossiers/", {"status": "trial", "q": "Filter"}).content.decode()
    assert "Filter Trial BV" in trial_page and "Filter Ended BV" not in trial_page


@pytest.fixture
def dossier(firm_a):
    return DossierFactory()


def _status_card_queries(client, dossier) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/dossiers/{dossier.pk}/").status_code == 200
    return len(queries)


def test_the_dossier_page_costs_the_same_queries_with_one_or_many_documents(logged_in_a, dossier, owner_a):
    empty = _status_card_queries(logged_in_a, dossier)
    for day in range(1, 21):
        DocumentFactory(dossier=dossier, issue_date=date(2026, 10, day))
        DocumentFactory(dossier=dossier, is_valid=False, status="attention")
    batch = export_manually(dossier, ManualChoice(None, None, ("purchases",)), owner_a)
    for item in batch.items.all()[:5]:
        mark_failed(item.pk, "disk_full", "No space left on device")
    full = _status_card_queries(logged_in_a, dossier)
    assert full == empty
    html = logged_in_a.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "20 documenten niet geëxporteerd" in html and "5 mislukte leveringen" in html
