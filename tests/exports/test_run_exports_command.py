"""`manage.py run_exports`: the scheduled run by hand, as of a given moment, one line per dossier."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from exports.models import ExportItem

from .conftest import DocumentFactory


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("run_exports", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_queues_as_of_the_given_moment_and_prints_per_dossier(dossier):
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 20))
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 21))
    assert run("--firm", "firm-a", "--now", "2026-10-31T23:59:00+01:00") == ["0 item(s) queued"]
    lines = run("--firm", "firm-a", "--now", "2026-11-01T00:01:00+01:00")
    assert lines == [f"firm-a\t{dossier.enterprise_number}\t{dossier.name}\t2 queued", "2 item(s) queued"]
    assert ExportItem.objects.filter(dossier=dossier).count() == 2
    assert run("--firm", "firm-a", "--now", "2026-11-01T00:02:00+01:00") == ["0 item(s) queued"]


def test_it_refuses_an_unknown_firm_and_a_bad_moment(firm_a):
    with pytest.raises(CommandError):
        run("--firm", "no-such-firm")
    with pytest.raises(CommandError):
        run("--now", "next tuesday")
