"""Changing the export settings of many dossiers at once: preview counts, one transaction, an audit entry per
changed dossier, dossiers with their own setting keep it; the list page, the background job, the command."""

import pytest
from django.core.management import CommandError, call_command

from core.errors import ErrorCode, PortalError
from dossiers.models import AuditEntry, Dossier
from exports.bulk import BulkChange, apply_change, preview_change, progress, start_change
from exports.models import ExportSettings, Policy

from .conftest import DossierFactory


def many(count: int, **kwargs) -> list[int]:
    return [DossierFactory(**kwargs).pk for _ in range(count)]


def test_a_bulk_change_over_a_thousand_dossiers_previews_then_applies_with_an_audit_entry_each(firm_a, owner_a):
    ids = many(1000)
    own = ids[:5]
    ExportSettings.objects.filter(dossier_id__in=own).update(policy=Policy.NEVER, own_fields=["policy"])
    same = ids[5:12]
    ExportSettings.objects.filter(dossier_id__in=same).update(policy=Policy.AFTER_TEN_MINUTES)
    change = BulkChange(policy=Policy.AFTER_TEN_MINUTES, needs_approval=True)

    preview = preview_change(ids, change)
    assert preview.change == {"policy": 988, "needs_approval": 1000}
    assert preview.keep_own == {"policy": 5} and preview.same == {"policy": 7}
    assert AuditEntry.objects.filter(action="export_settings_changed").count() == 0  # a preview writes nothing

    done = apply_change(ids, change, owner_a)
    assert done.changing_dossiers == 1000
    assert ExportSettings.objects.filter(dossier_id__in=ids, policy=Policy.AFTER_TEN_MINUTES).count() == 995
    assert ExportSettings.objects.filter(dossier_id__in=own, policy=Policy.NEVER).count() == 5
    assert ExportSettings.objects.filter(dossier_id__in=ids, needs_approval=True).count() == 1000
    entries = AuditEntry.objects.filter(action="export_settings_changed", detail__source="bulk")
    assert entries.count() == 1000 and entries.filter(actor=owner_a).count() == 1000
    # Changed to differ from the firm's default: now the dossiers' own setting (988 changed, 5 kept theirs).
    assert ExportSettings.objects.filter(dossier_id__in=ids, own_fields__contains=["policy"]).count() == 993


def test_overwrite_own_changes_them_too(firm_a, owner_a):
    ids = many(3)
    ExportSettings.objects.filter(dossier_id=ids[0]).update(policy=Policy.NEVER, own_fields=["policy"])
    apply_change(ids, BulkChange(policy=Policy.LAST_FULL_MONTH, overwrite_own=True), owner_a)
    chosen = ExportSettings.objects.get(dossier_id=ids[0])
    assert chosen.policy == Policy.LAST_FULL_MONTH and chosen.own_fields == []  # back to following the default


def test_references_from_the_enterprise_number_fill_only_the_missing_ones(firm_a, owner_a):
    ids = many(3, bob_reference="") + [DossierFactory(bob_reference="KEEP").pk, DossierFactory(bob_reference=False).pk]
    preview = apply_change(ids, BulkChange(bob_reference_from_enterprise_number=True), owner_a)
    assert preview.change == {"bob_reference": 4} and preview.keep_own == {"bob_reference": 1}
    numbers = dict(Dossier.objects.filter(pk__in=ids).values_list("pk", "enterprise_number"))
    references = dict(ExportSettings.objects.filter(dossier_id__in=ids).values_list("dossier_id", "bob_reference"))
    assert references == {pk: ("KEEP" if references[pk] == "KEEP" else numbers[pk]) for pk in ids}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (BulkChange(), ErrorCode.INCOMPLETE),
        (BulkChange(bob_reference="SAME"), ErrorCode.INVALID),  # one reference for two dossiers
        (BulkChange(bob_reference="with space"), ErrorCode.INVALID),
    ],
)
def test_a_bad_change_is_refused_and_nothing_changes(firm_a, owner_a, change, code):
    ids = many(2)
    with pytest.raises(PortalError) as refused:
        apply_change(ids, change, owner_a)
    assert refused.value.code == code
    assert not AuditEntry.objects.filter(action="export_settings_changed").exists()


def test_a_reference_taken_by_another_dossier_is_refused(firm_a, owner_a):
    DossierFactory(bob_reference="TAKEN")
    with pytest.raises(PortalError) as refused:
        apply_change(many(1), BulkChange(bob_reference="taken"), owner_a)
    assert refused.value.code == ErrorCode.TAKEN


def test_the_list_page_previews_and_applies_to_all_dossiers_matching_the_filter(logged_in_a):
    many(3, bob_reference="")
    DossierFactory(name="Heeft Referentie")
    form = {"all_matching": "1", "filter": "bob=missing", "policy": Policy.NEVER, "lock_after_export": "no"}
    first = logged_in_a.post("/dossiers/change-settings/", {"all_matching": "1", "filter": "bob=missing"})
    assert first.status_code == 200 and first.context["count"] == 3
    preview = logged_in_a.post("/dossiers/change-settings/", {**form, "action": "preview"})
    assert preview.context["preview"].change == {"policy": 3, "lock_after_export": 3}
    assert 'id="bulk-preview"' in preview.content.decode()
    assert not ExportSettings.objects.filter(policy=Policy.NEVER).exists()
    applied = logged_in_a.post("/dossiers/change-settings/", {**form, "action": "apply"})
    assert applied.status_code == 302 and applied["Location"] == "/dossiers/?bob=missing"
    assert ExportSettings.objects.filter(policy=Policy.NEVER, lock_after_export=False).count() == 3
    assert ExportSettings.objects.get(dossier__name="Heeft Referentie").policy == Policy.LAST_FULL_MONTH


def test_the_list_page_changes_the_ticked_dossiers_and_keeps_what_was_typed_on_error(logged_in_a):
    ids = many(2)
    form = {"dossier": ids, "bob_reference": "ONE REF", "action": "preview"}
    response = logged_in_a.post("/dossiers/change-settings/", form)
    assert response.status_code == 200 and response.context["form"].errors["bob_reference"]
    assert 'value="ONE REF"' in response.content.decode()


def test_nothing_selected_goes_back_to_the_list(logged_in_a):
    response = logged_in_a.post("/dossiers/change-settings/", {"filter": "q=x"})
    assert response.status_code == 302 and response["Location"] == "/dossiers/?q=x"


def test_entrepreneurs_and_strangers_cannot_bulk_change(client_a):
    assert client_a.post("/dossiers/change-settings/", {}).status_code == 302  # to the login page


def test_a_large_change_runs_in_the_background_with_progress(firm_a, owner_a, django_capture_on_commit_callbacks):
    ids = many(301)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = start_change(ids, BulkChange(policy=Policy.NEVER), owner_a)
    assert job and len(queued) == 1
    assert progress(job) == {"done": 0, "total": 301}
    apply_change(ids, BulkChange(policy=Policy.NEVER), owner_a, job=job)  # what the worker does
    state = progress(job)
    assert state["finished"] and state["done"] == 301 and state["preview"]["changing_dossiers"] == 301


def test_the_progress_page(logged_in_a, owner_a):
    ids = many(2)
    apply_change(ids, BulkChange(policy=Policy.NEVER), owner_a, job="abc123")
    html = logged_in_a.get("/dossiers/change-settings/abc123/").content.decode()
    assert 'id="bulk-done"' in html
    assert logged_in_a.get("/dossiers/change-settings/unknown/").status_code == 404


def test_the_command_applies_the_same_change(firm_a, capsys):
    numbers = [DossierFactory(bob_reference="").enterprise_number for _ in range(2)]
    call_command(
        "dossier_settings", "--firm", "firm-a", "--dossier", *numbers, "--policy", "after_10_minutes",
        "--approval", "yes", "--lock", "no", "--bob-ref-from", "enterprise_number",
    )  # fmt: skip
    assert "2 dossiers changed" in capsys.readouterr().out
    for number in numbers:
        chosen = ExportSettings.objects.get(dossier__enterprise_number=number)
        assert (chosen.policy, chosen.needs_approval, chosen.lock_after_export, chosen.bob_reference) == (
            Policy.AFTER_TEN_MINUTES,
            True,
            False,
            number,
        )


def test_the_command_refuses_what_it_cannot_do(firm_a):
    number, _other = DossierFactory().enterprise_number, DossierFactory()
    with pytest.raises(CommandError, match="no firm"):
        call_command("dossier_settings", "--firm", "nope", "--all", "--policy", "never")
    with pytest.raises(CommandError, match="no dossier"):
        call_command("dossier_settings", "--firm", "firm-a", "--dossier", "0403170701", "--policy", "never")
    with pytest.raises(CommandError, match="invalid"):
        call_command("dossier_settings", "--firm", "firm-a", "--all", "--bob-ref", "SAME")
    call_command("dossier_settings", "--firm", "firm-a", "--dossier", number, "--bob-ref", "ONLY")
    assert ExportSettings.objects.get(dossier__enterprise_number=number).bob_reference == "ONLY"
