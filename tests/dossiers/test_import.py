"""Excel import of dossiers: preview, apply in one transaction, idempotent, hostile files refused."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from dossiers.excel import SheetError, read_sheet, write_sheet
from dossiers.models import Dossier
from dossiers.sheets import dossier_columns
from firms.models import DirectoryEntry

from .sheets import dossier_row, xlsx

VALID_1 = dossier_row("0403.170.701", "Bakkerij Peeters", "an@peeters.example")
VALID_2 = dossier_row("0202239951", "Garage Claes", "info@claes.example", "fr", "Liège")
BAD_NUMBER = dossier_row("0403.170.702", "Verkeerd Nummer")
BAD_EMAIL = dossier_row("0417.497.106", "Slechte Mail", "not-an-email")
NO_NAME = dossier_row("0406.798.006", "")
DUPLICATE = dossier_row("0403170701", "Bakkerij Peeters bis")


def upload(client, data, name="dossiers.xlsx"):
    return client.post("/dossiers/import/", {"file": SimpleUploadedFile(name, data)})


def test_preview_lists_every_error_with_row_and_column_and_writes_nothing(logged_in_a):
    sheet = xlsx([VALID_1, VALID_2, BAD_NUMBER, BAD_EMAIL, NO_NAME, DUPLICATE])
    response = upload(logged_in_a, sheet)
    plan = response.context["plan"]
    assert len(plan.creates) == 2
    errors = {(e.row, e.column) for e in plan.errors}
    assert errors == {(4, "Ondernemingsnummer"), (5, "E-mail ondernemer"), (6, "Naam"), (7, "Ondernemingsnummer")}
    body = response.content.decode()
    assert "is geen geldig Belgisch ondernemingsnummer" in body
    assert "Hetzelfde ondernemingsnummer staat op rij 2" in body or "rij 2" in body
    assert Dossier.objects.count() == 0


def test_preview_in_french(logged_in_a):
    response = logged_in_a.post(
        "/dossiers/import/", {"file": SimpleUploadedFile("d.xlsx", xlsx([BAD_NUMBER]))}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "n’est pas un numéro d’entreprise belge valide" in response.content.decode()


def test_apply_creates_then_reimport_changes_nothing(logged_in_a, firm_a):
    sheet = xlsx([VALID_1, VALID_2])
    token = upload(logged_in_a, sheet).context["token"]
    response = logged_in_a.post("/dossiers/import/", {"confirm": token})
    assert response.status_code == 302
    assert set(Dossier.objects.values_list("enterprise_number", flat=True)) == {"0403170701", "0202239951"}
    assert DirectoryEntry.objects.filter(firm=firm_a).count() == 2
    before = list(Dossier.objects.order_by("pk").values())

    again = upload(logged_in_a, sheet).context["plan"]
    assert (len(again.creates), len(again.updates), again.unchanged) == (0, 0, 2)
    logged_in_a.post("/dossiers/import/", {"confirm": upload(logged_in_a, sheet).context["token"]})
    assert list(Dossier.objects.order_by("pk").values()) == before


def test_changed_row_updates_the_dossier(logged_in_a):
    logged_in_a.post("/dossiers/import/", {"confirm": upload(logged_in_a, xlsx([VALID_1])).context["token"]})
    changed = dossier_row("0403.170.701", "Bakkerij Peeters BV", "an@peeters.example", city="Brugge")
    plan = upload(logged_in_a, xlsx([changed])).context["plan"]
    assert [sorted(u[2]) for u in plan.updates] == [["city", "name"]]
    logged_in_a.post("/dossiers/import/", {"confirm": upload(logged_in_a, xlsx([changed])).context["token"]})
    assert Dossier.objects.get().city == "Brugge"


def test_sheet_with_errors_cannot_be_applied(logged_in_a):
    token = upload(logged_in_a, xlsx([VALID_1, BAD_NUMBER])).context["token"]
    logged_in_a.post("/dossiers/import/", {"confirm": token})
    assert Dossier.objects.count() == 0


def refused(client, data, name="dossiers.xlsx"):
    response = upload(client, data, name)
    assert response.status_code == 200
    assert "plan" not in response.context
    return response.context["form"].errors["file"][0]


def test_not_an_xlsx_is_refused(logged_in_a):
    assert "geen Excel-bestand" in refused(logged_in_a, b"naam;nummer\nPeeters;0403170701\n", "dossiers.csv")
    assert Dossier.objects.count() == 0


def test_zip_bomb_is_refused(logged_in_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    message = refused(logged_in_a, buffer.getvalue())
    assert "onredelijke grootte" in message or "grootte" in message
    assert Dossier.objects.count() == 0


def test_missing_required_column_is_refused(logged_in_a):
    message = refused(logged_in_a, xlsx([["Peeters"]], header=["Naam"]))
    assert "Ondernemingsnummer" in message


def test_formula_where_a_value_is_expected_is_an_error(logged_in_a):
    row = dossier_row("0403.170.701", '=HYPERLINK("http://evil","x")')
    plan = upload(logged_in_a, xlsx([row])).context["plan"]
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Naam")]


def test_export_never_writes_formulas(logged_in_a):
    Dossier.objects.create(name="=1+2", enterprise_number="0403170701", city="@SUM(A1)", street="-3", email="")
    response = logged_in_a.get("/dossiers/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell for cell in sheet[2]]
    assert row[1].value == "=1+2" and row[1].data_type == "s"
    assert all(cell.data_type != "f" for cell in row)


def test_template_has_header_example_notes_and_validation(logged_in_a):
    response = logged_in_a.get("/dossiers/export.xlsx?template=1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Ondernemingsnummer *"
    assert sheet["A1"].comment is not None
    assert sheet["A2"].value == "0403.170.701"
    assert sheet.data_validations.dataValidation


def test_read_sheet_refuses_oversized_file():
    with pytest.raises(SheetError):
        read_sheet(b"PK" + b"\0" * (11 * 1024 * 1024), dossier_columns())


def test_written_template_reads_back():
    data = write_sheet(dossier_columns(), [], title="Dossiers", example=True)
    rows = read_sheet(data, dossier_columns())
    assert rows[0].values["name"] == "Bakkerij Peeters"


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("import_dossiers", *args, stdout=out)
    return out.getvalue()


def test_management_command_previews_and_applies(firm_a, tmp_path):
    path = Path(tmp_path) / "d.xlsx"
    path.write_bytes(xlsx([VALID_1, BAD_NUMBER]))
    preview = run_command("--firm", "firm-a", str(path))
    assert "to create: 1" in preview
    assert "row 3: " in preview
    assert Dossier.objects.count() == 0
    with pytest.raises(CommandError):
        run_command("--firm", "firm-a", str(path), "--apply")
    path.write_bytes(xlsx([VALID_1, VALID_2]))
    assert "applied: 2 created, 0 updated" in run_command("--firm", "firm-a", str(path), "--apply")
    assert "unchanged: 2" in run_command("--firm", "firm-a", str(path), "--apply")
    assert Dossier.objects.count() == 2


def test_oversized_upload_is_refused_before_reading(logged_in_a):
    message = refused(logged_in_a, b"PK" + b"\0" * (10 * 1024 * 1024 + 1))
    assert "groter dan 10 MB" in message


def test_preview_shows_old_and_new_per_changed_column(logged_in_a):
    logged_in_a.post("/dossiers/import/", {"confirm": upload(logged_in_a, xlsx([VALID_1])).context["token"]})
    changed = dossier_row("0403.170.701", "Bakkerij Peeters BV", "an@peeters.example", city="Brugge")
    response = upload(logged_in_a, xlsx([changed]))
    [row] = response.context["plan"].changes
    assert row.label == "0403.170.701 Bakkerij Peeters BV"
    assert {(c.column, c.old, c.new) for c in row.changes} == {
        ("Naam", "Bakkerij Peeters", "Bakkerij Peeters BV"),
        ("Gemeente", "Gent", "Brugge"),
    }
    body = response.content.decode()
    assert "Wat verandert" in body
    assert "<del>Bakkerij Peeters</del>" in body and "<ins>Bakkerij Peeters BV</ins>" in body
    assert Dossier.objects.get().name == "Bakkerij Peeters"  # the preview writes nothing


def test_preview_names_each_client_with_an_account_elsewhere(logged_in_a, firm_b):
    from firms.models import DossierAccess, User

    DirectoryEntry.objects.create(firm=firm_b, dossier_id=4242, enterprise_number="0202239951")
    user = User.objects.create_user("info@claes.example", "x-Long-enough-9", full_name="Ann Claes")
    DossierAccess.objects.create(user=user, firm=firm_b, dossier_id=4242)
    sheet = xlsx([VALID_1, VALID_2])
    body = upload(logged_in_a, sheet).content.decode()
    assert "0202.239.951 Garage Claes heeft een account bij een ander kantoor" in body
    assert "0403.170.701 Bakkerij Peeters heeft" not in body
    with translation.override("nl"):  # the page's language stays with this test
        french = logged_in_a.post(
            "/dossiers/import/", {"file": SimpleUploadedFile("d.xlsx", sheet)}, HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    assert "0202.239.951 Garage Claes a un compte auprès d’un autre cabinet" in french


def test_a_long_list_of_changes_is_cut_with_a_count(logged_in_a):
    numbers = [f"0{n:07d}" for n in range(1000000, 1010000, 1)]
    valid = [n + f"{97 - int(n) % 97:02d}" for n in numbers][:205]
    logged_in_a.post(
        "/dossiers/import/",
        {"confirm": upload(logged_in_a, xlsx([dossier_row(n, f"Klant {n}") for n in valid])).context["token"]},
    )
    response = upload(logged_in_a, xlsx([dossier_row(n, f"Klant {n}", city="Brugge") for n in valid]))
    assert len(response.context["plan"].changes) == 205
    body = response.content.decode()
    assert body.count("<ins>Brugge</ins>") == 200 and "En nog 5 rijen om bij te werken." in body
