"""The dossier setting "Also export uploaded CODA statements": uploaded statements (any bank) go along only with
it, byte-identical; the bank tab says per account whether and why its statements are exported."""

from datetime import date

from django.core.files.storage import default_storage

from banking.services import ingest_coda
from exports.models import ExportItem, ExportSettings, Kind
from exports.services import ManualChoice, preview_manual_export, queue_due_items
from tests.banking.factories import chain

from .conftest import at


def test_uploaded_statements_are_exported_only_with_the_setting(dossier):
    files = chain(2, start=date(2026, 9, 1))
    for data in files:
        ingest_coda(dossier, data, "ing.cod")  # an account the portal has no connection to: uploaded by hand
    assert queue_due_items(at("2026-11-01T12:00:00+01:00")) == {}
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(export_uploaded_coda=True))
    assert preview_manual_export(dossier, ManualChoice(None, None, (Kind.CODA,)))[Kind.CODA] == 2
    assert queue_due_items(at("2026-11-01T12:00:00+01:00")) == {dossier: 2}
    delivered = []
    for item in ExportItem.objects.filter(kind=Kind.CODA).order_by("statement__number"):
        with default_storage.open(item.file, "rb") as stored:
            delivered.append(stored.read())
    assert delivered == files


def test_the_setting_of_one_dossier_does_not_export_another(dossier):
    from tests.factories import DossierFactory

    other = DossierFactory()
    ingest_coda(other, chain(1, start=date(2026, 9, 1))[0], "belfius.cod")
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(export_uploaded_coda=True))
    assert queue_due_items(at("2026-11-01T12:00:00+01:00")) == {}


def test_the_bank_tab_says_whether_and_why(logged_in_a, dossier):
    ingest_coda(dossier, chain(1, start=date(2026, 9, 1))[0], "argenta.cod")
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/bank/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "does not export uploaded statements" in page
    ExportSettings.objects.update_or_create(dossier=dossier, defaults=dict(export_uploaded_coda=True))
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/bank/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "also exports statements uploaded by hand" in page


def test_the_accountant_switches_it_on_in_the_dossiers_export_settings(logged_in_a, dossier):
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/integrations/",
        {"policy": "month", "lock_after_export": "on", "bob_reference": "PEETERS", "export_uploaded_coda": "on"},
    )
    assert response.status_code == 302
    assert ExportSettings.objects.get(dossier=dossier).export_uploaded_coda
