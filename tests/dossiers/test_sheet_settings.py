"""The dossier sheet carries the export settings: Sage BOB reference, export policy, approval, lock after export,
uploaded CODA and the assigned staff email, in English, Dutch and French headers; per-row errors; export then
import changes nothing."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from dossiers.excel import read_sheet, write_sheet
from dossiers.importing import apply_import, plan_import
from dossiers.models import Dossier
from dossiers.services import DossierSpec
from dossiers.sheets import dossier_columns, dossier_rows
from exports.models import ExportSettings, Policy
from tests.factories import DossierFactory

from .sheets import xlsx

HEADERS = {
    "en": [
        "Enterprise number",
        "Name",
        "Sage BOB reference",
        "Export policy",
        "Approval required",
        "Lock after export",
        "Assigned staff email",
    ],
    "nl": [
        "Ondernemingsnummer",
        "Naam",
        "Sage BOB-referentie",
        "Exportbeleid",
        "Goedkeuring vereist",
        "Vergrendelen na export",
        "E-mail toegewezen medewerker",
    ],
    "fr": [
        "Numéro d’entreprise",
        "Nom",
        "Référence Sage BOB",
        "Politique d’export",
        "Approbation requise",
        "Verrouiller après l’export",
        "E-mail du collaborateur assigné",
    ],
}
ROWS = {
    "en": ("Last full month (recommended)", "yes", "no"),
    "nl": ("Laatste volledige maand (aanbevolen)", "ja", "nee"),
    "fr": ("Dernier mois complet (recommandé)", "oui", "non"),
}


def plan(firm, data):
    spec = DossierSpec(firm)
    return spec, plan_import(spec, read_sheet(data, dossier_columns()))


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_headers_and_values_in_every_language_are_understood(firm_a, owner_a, language):
    policy, yes, no = ROWS[language]
    data = xlsx([["0403.170.701", "Peeters", "PEETERS", policy, yes, no, "owner-a@example.com"]], HEADERS[language])
    spec, result = plan(firm_a, data)
    assert not result.errors, result.errors
    apply_import(spec, result, owner_a)
    chosen = ExportSettings.objects.get(dossier__enterprise_number="0403170701")
    assert (chosen.bob_reference, chosen.policy, chosen.needs_approval, chosen.lock_after_export) == (
        "PEETERS",
        Policy.LAST_FULL_MONTH,
        True,
        False,
    )
    assert sorted(chosen.own_fields) == ["lock_after_export", "needs_approval"]
    assert Dossier.objects.get(enterprise_number="0403170701").assigned_to == owner_a


@pytest.mark.parametrize(
    ("word", "policy"),
    [
        ("never", Policy.NEVER),
        ("last_month", Policy.LAST_FULL_MONTH),
        ("after_10_minutes", Policy.AFTER_TEN_MINUTES),
        ("Na 10 minuten", Policy.AFTER_TEN_MINUTES),
        ("Jamais (uniquement manuellement)", Policy.NEVER),
        ("NEVER (ONLY BY HAND)", Policy.NEVER),
    ],
)
def test_policy_values_as_in_the_drop_down_or_as_the_command_line_names(firm_a, owner_a, word, policy):
    spec, result = plan(firm_a, xlsx([["0403170701", "P", word]], ["Enterprise number", "Name", "Export policy"]))
    assert not result.errors
    assert result.creates[0]["policy"] == policy


def test_every_bad_cell_is_an_error_on_its_row_and_nothing_is_written(firm_a, owner_a):
    DossierFactory(bob_reference="TAKEN")
    header = HEADERS["en"]
    data = xlsx(
        [
            ["0403170701", "A", "with space", "weekly", "perhaps", "yes", ""],
            ["0202239951", "B", "taken", "", "", "", "nobody@example.com"],
            ["0417497106", "C", "SAME", "", "", "", ""],
            ["0406798006", "D", "same", "", "", "", ""],
        ],
        header,
    )
    with translation.override("en"):
        _spec, result = plan(firm_a, data)
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "Sage BOB reference"),
        (2, "Export policy"),
        (2, "Approval required"),
        (3, "Sage BOB reference"),
        (3, "Assigned staff email"),
        (5, "Sage BOB reference"),
    }
    assert Dossier.objects.filter(enterprise_number__in=["0403170701", "0202239951"]).count() == 0


def test_empty_settings_cells_keep_what_a_dossier_has(firm_a, owner_a):
    dossier = DossierFactory(bob_reference="KEEP", enterprise_number="0403170701", name="Peeters", city="")
    ExportSettings.objects.filter(dossier=dossier).update(policy=Policy.NEVER, own_fields=["policy"])
    spec, result = plan(firm_a, xlsx([["0403170701", "Peeters", "", ""]], HEADERS["en"][:4]))
    assert result.unchanged == 1 and not result.updates


def test_a_sheet_changes_the_settings_of_existing_dossiers(firm_a, owner_a):
    dossier = DossierFactory(bob_reference="", enterprise_number="0403170701", name="Peeters", city="")
    spec, result = plan(firm_a, xlsx([["0403170701", "Peeters", "PEETERS", "never"]], HEADERS["en"][:4]))
    assert [changed for _pk, _values, changed in result.updates] == [["bob_reference", "policy"]]
    apply_import(spec, result, owner_a)
    chosen = ExportSettings.objects.get(dossier=dossier)
    assert (chosen.bob_reference, chosen.policy, chosen.own_fields) == ("PEETERS", Policy.NEVER, ["policy"])


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_sheet_round_trips_export_then_import_changes_nothing(firm_a, owner_a, language):
    first = DossierFactory(bob_reference="PEETERS", assigned_to=owner_a)
    ExportSettings.objects.filter(dossier=first).update(
        policy=Policy.AFTER_TEN_MINUTES, needs_approval=True, own_fields=["needs_approval", "policy"]
    )
    DossierFactory(bob_reference="")
    DossierFactory(bob_reference=False)  # no settings at all: exported as the firm's defaults
    with translation.override(language):
        data = write_sheet(dossier_columns(), dossier_rows(), title="Dossiers", example=False)
        _spec, result = plan(firm_a, data)
    assert not result.errors and not result.creates and not result.updates
    assert result.unchanged == 3
    header = [cell.value for cell in next(load_workbook(io.BytesIO(data)).active.iter_rows())]
    assert HEADERS[language][2] in header and HEADERS[language][6] in header


def test_the_template_offers_the_policies_as_a_drop_down(logged_in_a):
    response = logged_in_a.get("/dossiers/export.xlsx?template=1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("Laatste volledige maand (aanbevolen)" in formula for formula in formulas)
