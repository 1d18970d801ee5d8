"""No folder is ever invented from a client's name: a dossier without a Sage BOB reference queues nothing, is
listed on the dashboard and says so on its page; setting the reference releases what waited at the next run."""

import pytest

from core.errors import ErrorCode, PortalError
from exports.models import ExportItem, ExportSettings, Kind
from exports.services import ManualChoice, export_manually, queue_due_items, save_settings

from .conftest import DocumentFactory, DossierFactory, at

MONTH_END = at("2026-11-01T00:30:00+01:00")


@pytest.fixture
def unreferenced(firm_a):
    dossier = DossierFactory(name="Zonder Referentie BV", bob_reference="")
    DocumentFactory(dossier=dossier)
    DocumentFactory(dossier=dossier)
    return dossier


def test_a_dossier_without_reference_queues_nothing_and_its_documents_wait(unreferenced):
    other = DocumentFactory()  # a dossier with a reference, same month: it leaves
    queued = queue_due_items(MONTH_END)
    assert unreferenced not in queued
    assert not ExportItem.objects.filter(dossier=unreferenced).exists()
    assert ExportItem.objects.filter(document=other).exists()
    assert not ExportItem.objects.filter(path__startswith="Zonder").exists()


def test_a_dossier_without_settings_at_all_queues_nothing(firm_a):
    dossier = DossierFactory(bob_reference=False)
    DocumentFactory(dossier=dossier)
    assert not ExportSettings.objects.filter(dossier=dossier).exists()
    assert dossier not in queue_due_items(MONTH_END)


def test_setting_the_reference_releases_the_documents_at_the_next_run(unreferenced, owner_a):
    queue_due_items(MONTH_END)
    save_settings(unreferenced, {"bob_reference": "ZONDER"}, owner_a)
    assert queue_due_items(MONTH_END) == {unreferenced: 2}
    paths = list(ExportItem.objects.filter(dossier=unreferenced).values_list("path", flat=True))
    assert len(paths) == 2 and all(path.startswith("ZONDER/Demat/Aankopen/") for path in paths)


def test_a_manual_export_without_reference_is_refused_with_a_code(unreferenced, owner_a):
    with pytest.raises(PortalError) as refused:
        export_manually(unreferenced, ManualChoice(None, None, (Kind.PURCHASES,)), owner_a)
    assert refused.value.code == ErrorCode.INCOMPLETE
    assert not ExportItem.objects.filter(dossier=unreferenced).exists()


def test_the_dashboard_lists_dossiers_without_reference_with_what_waits(logged_in_a, unreferenced):
    DossierFactory(name="Met Referentie BV")
    response = logged_in_a.get("/dashboard/")
    missing = response.context["needs"]["missing_reference"]
    assert [(d.name, d.waiting) for d in missing["rows"]] == [("Zonder Referentie BV", 2)]
    html = response.content.decode()
    assert 'id="bob-missing"' in html and f"/dossiers/{unreferenced.pk}/integrations/" in html
    # Its documents are not counted as "ready to export": they cannot leave.
    assert response.context["needs"]["totals"]["ready"] == 0


def test_the_dossier_page_says_so_with_a_link_to_set_it(logged_in_a, unreferenced):
    html = logged_in_a.get(f"/dossiers/{unreferenced.pk}/").content.decode()
    assert 'id="bob-reference-missing"' in html
    assert f'href="/dossiers/{unreferenced.pk}/integrations/"' in html
    assert "Sage BOB-referentie ontbreekt" in html


def test_the_list_filters_dossiers_without_reference(logged_in_a, unreferenced):
    DossierFactory(name="Met Referentie BV")
    names = [d.name for d in logged_in_a.get("/dossiers/?bob=missing").context["page"]]
    assert names == ["Zonder Referentie BV"]


@pytest.mark.parametrize("reference", ["Bakkerij Peeters", "REF/../x", "Café", "CON", "-X"])
def test_a_reference_bob_cannot_read_is_refused_on_the_integrations_tab(logged_in_a, unreferenced, reference):
    response = logged_in_a.post(
        f"/dossiers/{unreferenced.pk}/integrations/",
        {"policy": "month", "bob_reference": reference, "lock_after_export": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bob_reference"]
    assert ExportSettings.objects.get(dossier=unreferenced).bob_reference == ""


def test_a_reference_already_used_by_another_dossier_is_refused(logged_in_a, unreferenced):
    DossierFactory(bob_reference="PEETERS")
    response = logged_in_a.post(
        f"/dossiers/{unreferenced.pk}/integrations/", {"policy": "month", "bob_reference": "peeters"}
    )
    assert "bob_reference" in response.context["form"].errors
