"""The issue's "done when", without a browser: a firm imports 400 dossiers from one sheet holding their BOB
references and policy, invites them all, and its first month-end lands in REF/Demat/... for every dossier with a
reference, without opening a dossier page; those without one are on the dashboard and nothing of theirs leaves."""

import pytest
from django.core import mail

from dossiers.excel import read_sheet
from dossiers.importing import apply_import, plan_import
from dossiers.models import Dossier, DossierStatus
from dossiers.services import DossierSpec
from dossiers.sheets import dossier_columns
from exports.models import ExportItem, ExportSettings, Policy
from exports.services import queue_due_items

from ..dossiers.sheets import xlsx
from .conftest import DocumentFactory, at

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")

HEADER = ["Enterprise number", "Name", "Entrepreneur's email", "Sage BOB reference", "Export policy"]


def number(i: int) -> str:
    first = f"0{7100000 + i:07d}"
    return first + f"{97 - int(first) % 97:02d}"


def test_four_hundred_dossiers_from_one_sheet_to_their_bob_folders(logged_in_a, firm_a, owner_a):
    rows = [
        [number(i), f"Klant {i:03d}", f"klant{i}@example.com", "" if i % 40 == 0 else f"K{i:03d}", "last_month"]
        for i in range(400)
    ]
    spec = DossierSpec(firm_a)
    plan = plan_import(spec, read_sheet(xlsx(rows, HEADER), dossier_columns()))
    assert not plan.errors and len(plan.creates) == 400
    apply_import(spec, plan, owner_a)
    assert ExportSettings.objects.filter(policy=Policy.LAST_FULL_MONTH).count() == 400

    ids = list(Dossier.objects.values_list("pk", flat=True))
    logged_in_a.post("/dossiers/invite/", {"dossier": ids})
    assert len(mail.outbox) == 400
    assert Dossier.objects.filter(status=DossierStatus.INVITED).count() == 400

    for dossier in Dossier.objects.all():
        DocumentFactory(dossier=dossier)
    queued = queue_due_items(at("2026-11-01T00:30:00+01:00"))
    assert len(queued) == 390
    paths = list(ExportItem.objects.values_list("dossier__export_settings__bob_reference", "path"))
    assert len(paths) == 390 and all(path.startswith(f"{ref}/Demat/Aankopen/") for ref, path in paths)

    missing = logged_in_a.get("/dashboard/").context["needs"]["missing_reference"]
    assert missing["count"] == 10
    assert {d.name for d in missing["rows"]} == {f"Klant {i:03d}" for i in range(0, 400, 40)}
