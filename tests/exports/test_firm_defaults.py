"""The firm's defaults for export settings: new dossiers take them (by hand, by sheet, by a link request), the
BOB reference follows the firm's rule, dossiers that follow a default change with it, the page is the owners'."""

import pytest
from django.db import connection

from dossiers.importing import apply_import, plan_import
from dossiers.linking import DATA_MOVERS
from dossiers.models import AuditEntry, Dossier
from dossiers.services import DossierSpec, create_dossier
from exports.defaults import ensure_settings_after_move, save_defaults
from exports.models import BobReferenceRule, ExportDefaults, ExportSettings, Policy

from ..dossiers.sheets import xlsx
from .conftest import DossierFactory

STRICT = {"policy": Policy.NEVER, "needs_approval": True, "lock_after_export": False, "export_uploaded_coda": True}


@pytest.fixture
def strict_firm(firm_a, owner_a):
    save_defaults({**STRICT, "bob_reference_rule": BobReferenceRule.ENTERPRISE_NUMBER}, owner_a)
    return firm_a


def _settings(number: str) -> ExportSettings:
    return ExportSettings.objects.get(dossier__enterprise_number=number)


def test_a_dossier_made_by_hand_takes_the_defaults_and_the_rule(strict_firm, owner_a):
    dossier = create_dossier(strict_firm, {"name": "Bakkerij Peeters", "enterprise_number": "0403170701"}, owner_a)
    chosen = ExportSettings.objects.get(dossier=dossier)
    assert {name: getattr(chosen, name) for name in STRICT} == STRICT
    assert chosen.bob_reference == "0403170701" and chosen.own_fields == []


def test_a_dossier_from_the_sheet_takes_the_defaults_unless_the_row_says_otherwise(strict_firm, owner_a):
    from dossiers.excel import read_sheet
    from dossiers.sheets import dossier_columns

    header = ["Enterprise number", "Name", "Sage BOB reference", "Export policy"]
    data = xlsx([["0403.170.701", "Peeters", "PEETERS", "after_10_minutes"], ["0202239951", "Claes", "", ""]], header)
    spec = DossierSpec(strict_firm)
    plan = plan_import(spec, read_sheet(data, dossier_columns()))
    assert not plan.errors
    apply_import(spec, plan, owner_a)
    peeters, claes = _settings("0403170701"), _settings("0202239951")
    assert (peeters.bob_reference, peeters.policy, peeters.own_fields) == (
        "PEETERS",
        Policy.AFTER_TEN_MINUTES,
        ["policy"],
    )
    assert (claes.bob_reference, claes.policy, claes.needs_approval) == ("0202239951", Policy.NEVER, True)


def test_a_dossier_moved_in_by_a_link_request_gets_the_defaults(strict_firm):
    assert DATA_MOVERS["exports"] is ensure_settings_after_move
    target = Dossier.objects.create(name="Slagerij Maes", enterprise_number="0417497106")  # older, no settings
    assert ensure_settings_after_move("other", 1, connection.schema_name, target.pk) == 1
    chosen = _settings("0417497106")
    assert chosen.policy == Policy.NEVER and chosen.bob_reference == "0417497106"
    assert ensure_settings_after_move("other", 1, connection.schema_name, target.pk) == 0  # settings stay


def test_without_a_rule_a_new_dossier_has_no_reference(firm_a, owner_a):
    dossier = create_dossier(firm_a, {"name": "X", "enterprise_number": "0403170701"}, owner_a)
    assert ExportSettings.objects.get(dossier=dossier).bob_reference == ""


def test_a_changed_default_moves_the_dossiers_that_follow_it_not_those_with_their_own(firm_a, owner_a):
    following = DossierFactory()
    own = DossierFactory()
    ExportSettings.objects.filter(dossier=own).update(policy=Policy.AFTER_TEN_MINUTES, own_fields=["policy"])
    counts = save_defaults({"policy": Policy.NEVER}, owner_a)
    assert counts == {"policy": 1}
    assert ExportSettings.objects.get(dossier=following).policy == Policy.NEVER
    assert ExportSettings.objects.get(dossier=own).policy == Policy.AFTER_TEN_MINUTES
    entry = AuditEntry.objects.get(dossier=following, action="export_settings_changed")
    assert entry.detail == {"fields": ["policy"], "source": "firm_defaults"}
    assert ExportDefaults.current().policy == Policy.NEVER


def test_the_dossier_page_shows_which_settings_are_its_own(logged_in_a, owner_a):
    dossier = DossierFactory()
    logged_in_a.post(
        f"/dossiers/{dossier.pk}/integrations/",
        {"policy": Policy.NEVER, "bob_reference": "REF", "lock_after_export": "on"},
    )
    chosen = ExportSettings.objects.get(dossier=dossier)
    assert chosen.own_fields == ["policy"]
    origins = logged_in_a.get(f"/dossiers/{dossier.pk}/integrations/").context["origins"]
    assert [own for _label, _value, own in origins] == [True, False, False, False, False]
    html = logged_in_a.get(f"/dossiers/{dossier.pk}/integrations/").content.decode()
    assert "Eigen instelling" in html and "Standaard van het kantoor" in html


def test_only_owners_change_the_defaults(logged_in_a, staff_a, client_a):
    response = logged_in_a.post(
        "/settings/integrations/defaults/",
        {"policy": Policy.AFTER_TEN_MINUTES, "lock_after_export": "on", "bob_reference_rule": "enterprise_number"},
    )
    assert response.status_code == 302
    saved = ExportDefaults.current()
    assert (saved.policy, saved.bob_reference_rule) == (Policy.AFTER_TEN_MINUTES, "enterprise_number")
    client_a.force_login(staff_a)
    assert client_a.get("/settings/integrations/defaults/").status_code == 403
    assert client_a.post("/settings/integrations/defaults/", {"policy": "never"}).status_code == 403
    assert ExportDefaults.current().policy == Policy.AFTER_TEN_MINUTES


def test_a_bad_default_is_refused_and_nothing_changes(logged_in_a):
    response = logged_in_a.post("/settings/integrations/defaults/", {"policy": "weekly", "bob_reference_rule": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"policy", "bob_reference_rule"}
    assert not ExportDefaults.objects.exists()
