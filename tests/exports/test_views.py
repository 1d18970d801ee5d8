"""The Integrations and Export tabs, for the accountant and the entrepreneur, and exporting several dossiers
from the dossiers list."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from exports.models import Approval, ExportItem, ExportSettings, Policy
from exports.services import ManualChoice, export_manually, mark_failed
from firms.models import DossierAccess, User

from ..conftest import PASSWORD, host_of
from .conftest import DocumentFactory, DossierFactory

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")


def entrepreneur_client(firm, dossier):
    user = User.objects.create_user(f"boss-{dossier.pk}@example.com", PASSWORD, full_name="Boss", language="fr")
    DossierAccess.objects.create(user=user, firm=firm, dossier_id=dossier.pk)
    client = Client(HTTP_HOST=host_of(firm))
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = user.language
    return client


def test_the_accountant_sets_policy_reference_and_sees_the_bob_folders(logged_in_a, dossier):
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/integrations/")
    assert page.status_code == 200
    assert "Laatste volledige maand" in page.content.decode()  # Dutch by default
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/integrations/",
        {
            "policy": Policy.AFTER_TEN_MINUTES,
            "lock_after_export": "on",
            "bob_reference": "PEETERS",
            "purchases_folder": "",
            "sales_folder": r"PEETERS\Demat\Uit",
            "coda_folder": "",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "PEETERS/Demat/Aankopen/" in html and "PEETERS/Demat/Uit/" in html and "PEETERS/CODA/" in html
    chosen = ExportSettings.objects.get(dossier=dossier)
    assert (chosen.policy, chosen.sales_folder, chosen.needs_approval) == (
        Policy.AFTER_TEN_MINUTES,
        "PEETERS/Demat/Uit",
        False,
    )


def test_an_unsafe_folder_is_refused_and_what_was_typed_stays(logged_in_a, dossier):
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/integrations/",
        {
            "policy": Policy.NEVER,
            "bob_reference": "REF",
            "purchases_folder": "C:/BOB50DATA/REF",
            "sales_folder": "",
            "coda_folder": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "zonder stationsletter" in html  # the Dutch message
    assert 'value="C:/BOB50DATA/REF"' in html
    assert ExportSettings.objects.get(dossier=dossier).policy == Policy.LAST_FULL_MONTH  # unchanged


def test_entrepreneurs_do_not_reach_the_integrations_tab(firm_a, dossier):
    client = entrepreneur_client(firm_a, dossier)
    assert client.get(f"/dossiers/{dossier.pk}/integrations/").status_code == 403


def test_manual_export_previews_then_queues(logged_in_a, dossier):
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    DocumentFactory(dossier=dossier, issue_date=date(2026, 11, 1))
    data = {"period_from": "2026-10-01", "period_until": "2026-10-31", "kinds": ["sales", "purchases"]}
    preview = logged_in_a.post(f"/dossiers/{dossier.pk}/export/", {**data, "action": "preview"})
    assert "1 bestand wordt geëxporteerd" in preview.content.decode()
    assert not ExportItem.objects.exists()
    logged_in_a.post(f"/dossiers/{dossier.pk}/export/", {**data, "action": "export"})
    assert ExportItem.objects.filter(dossier=dossier).count() == 1


def test_a_period_that_ends_before_it_starts_is_refused(logged_in_a, dossier):
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/export/",
        {"period_from": "2026-10-31", "period_until": "2026-10-01", "kinds": ["sales"], "action": "export"},
    )
    assert "eindigt voor ze begint" in response.content.decode()
    assert not ExportItem.objects.exists()


def test_history_shows_failures_and_the_accountant_sends_again(logged_in_a, dossier, owner_a):
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    item = export_manually(dossier, ManualChoice(None, None, ("purchases",)), owner_a).items.get()
    mark_failed(item.pk, "disk_full", "No space left on device")
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/export/").content.decode()
    assert "No space left on device" in page and item.path in page
    logged_in_a.post(f"/dossiers/{dossier.pk}/export/items/{item.pk}/requeue/")
    item.refresh_from_db()
    assert item.state == "waiting"


def test_held_back_documents_are_counted_with_a_link_to_why(logged_in_a, dossier):
    DocumentFactory(dossier=dossier, is_valid=False, status="attention")
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/export/").content.decode()
    assert "1 document niet geëxporteerd" in page and "?status=attention" in page


def test_the_entrepreneur_submits_and_the_accountant_is_notified(
    firm_a, dossier, owner_a, django_capture_on_commit_callbacks
):
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(needs_approval=True))
    DocumentFactory(dossier=dossier, number="A-1", issue_date=date(2026, 10, 1))
    client = entrepreneur_client(firm_a, dossier)
    page = client.get(f"/dossiers/{dossier.pk}/export/").content.decode()
    assert "A-1" in page and "prêt" in page  # French, the entrepreneur's language
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dossiers/{dossier.pk}/export/", {"period_from": "", "period_until": ""})
    assert response.status_code == 302
    assert Approval.objects.filter(document__number="A-1").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner_a.email]
    assert dossier.name in mail.outbox[0].subject
    assert f"/dossiers/{dossier.pk}/export/" in mail.outbox[0].body
    dashboard = Client(HTTP_HOST=host_of(firm_a))
    dashboard.force_login(owner_a)
    assert dossier.name in dashboard.get("/dashboard/").content.decode()


def test_several_dossiers_are_exported_from_the_list(logged_in_a, firm_a):
    first, second = DossierFactory(), DossierFactory()
    DocumentFactory(dossier=first, issue_date=date(2026, 10, 1))
    DocumentFactory(dossier=second, issue_date=date(2026, 10, 2))
    DocumentFactory(dossier=second, issue_date=date(2026, 10, 3))
    chosen = {"dossier": [first.pk, second.pk], "kinds": ["sales", "purchases"], "period_from": "", "period_until": ""}
    preview = logged_in_a.post("/dossiers/export-selected/", {**chosen, "action": "preview"}).content.decode()
    assert 'id="preview-total">3<' in preview
    logged_in_a.post("/dossiers/export-selected/", {**chosen, "action": "export"})
    assert ExportItem.objects.filter(dossier__in=[first, second]).count() == 3


def test_another_firms_dossier_is_not_found(client_b, owner_b, dossier):
    client_b.force_login(owner_b)
    assert client_b.get(f"/dossiers/{dossier.pk}/export/").status_code in (404, 302)


def test_the_dossier_page_says_what_is_held_back_and_what_failed(logged_in_a, dossier, owner_a):
    DocumentFactory(dossier=dossier, is_valid=False, status="attention")
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 1))
    item = export_manually(dossier, ManualChoice(None, None, ("purchases",)), owner_a).items.get()
    mark_failed(item.pk, "disk_full", "No space left on device")
    html = logged_in_a.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "1 document niet geëxporteerd" in html and "1 mislukte levering" in html


def test_the_dashboard_and_the_integrations_tab_show_the_agent_status(logged_in_a, dossier):
    assert "Nog geen Billsync-agent" in logged_in_a.get("/dashboard/").content.decode()
    assert "Nog geen Billsync-agent" in logged_in_a.get(f"/dossiers/{dossier.pk}/integrations/").content.decode()
