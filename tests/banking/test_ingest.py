"""Ingesting CODA into a dossier: stored once, duplicates recognised, refusals store nothing, accounts."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from banking.models import BankAccount, CodaFile, CodaStatement, Connection, Movement
from banking.services import MAX_BYTES, add_account, ingest_coda
from core.errors import PortalError
from dossiers.models import Dossier

from .factories import IBAN, chain


@pytest.fixture
def dossier(firm_a):
    return Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0202239951")


@pytest.fixture
def other_dossier(firm_a):
    return Dossier.objects.create(name="Garage Claes", enterprise_number="0417497106")


def counts():
    return (
        BankAccount.objects.count(),
        CodaFile.objects.count(),
        CodaStatement.objects.count(),
        Movement.objects.count(),
    )


def test_an_unknown_account_is_added_to_the_dossier_as_uploaded(dossier):
    [data] = chain(1)
    result = ingest_coda(dossier, data, "day.cod")
    assert result.outcome == "stored" and result.stored == 1
    account = BankAccount.objects.get(iban=IBAN)
    assert account.dossier == dossier and account.connection == Connection.UPLOAD and not account.delivers_coda
    statement = account.statements.get()
    assert (statement.number, statement.year, statement.movement_count) == (1, 2026, 1)
    with statement.file.open("rb") as stored:
        assert stored.read() == data  # the original bytes, unchanged
    assert statement.sha256 == hashlib.sha256(data).hexdigest()


def test_each_statement_of_a_file_stores_its_own_bytes(dossier):
    one, two = chain(2)
    result = ingest_coda(dossier, one + two, "two.cod")
    assert result.stored == 2
    first, second = CodaStatement.objects.order_by("number")
    for statement, data in ((first, one), (second, two)):
        with statement.file.open("rb") as stored:
            assert stored.read() == data
        assert statement.sha256 == hashlib.sha256(data).hexdigest()
    assert CodaFile.objects.get().sha256 == hashlib.sha256(one + two).hexdigest()


def test_the_same_file_twice_is_a_duplicate(dossier):
    [data] = chain(1)
    ingest_coda(dossier, data, "a.cod")
    before = counts()
    result = ingest_coda(dossier, data, "b.cod")
    assert result.outcome == "duplicate" and "already received" in result.message
    assert counts() == before


def test_the_same_statement_in_another_file_is_a_duplicate(dossier):
    one, two = chain(2)
    ingest_coda(dossier, one, "one.cod")
    result = ingest_coda(dossier, one + two, "both.cod")
    assert result.outcome == "stored"
    assert [(s.number, s.outcome) for s in result.statements] == [(1, "duplicate"), (2, "stored")]
    assert CodaStatement.objects.count() == 2


def test_an_account_of_another_dossier_is_refused_and_nothing_is_stored(dossier, other_dossier):
    add_account(other_dossier, IBAN)
    before = counts()
    result = ingest_coda(dossier, chain(1)[0], "day.cod")
    assert result.outcome == "refused" and "another dossier" in result.message
    assert counts() == before


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"<?xml version='1.0'?><Invoice/>", "128"),
        (b"0" * (MAX_BYTES + 1), "larger than"),
    ],
)
def test_bad_files_are_refused_with_a_reason(dossier, data, reason):
    before = counts()
    result = ingest_coda(dossier, data, "bad.cod")
    assert result.outcome == "refused" and reason in result.message
    assert counts() == before


def test_a_file_with_one_bad_statement_stores_none_of_them(dossier):
    one, two = chain(2)
    broken = two[:-20] + b" " + two[-20:]  # the trailer becomes 129 characters
    result = ingest_coda(dossier, one + broken, "x.cod")
    assert result.outcome == "refused" and result.message.startswith("Line 14:")
    assert counts() == (0, 0, 0, 0)


def test_the_refusal_is_translated(dossier):
    from django.utils import translation

    with translation.override("nl"):
        result = ingest_coda(dossier, b"", "x.cod")
    assert result.message == "Het bestand is leeg."


def test_every_invalid_sample_is_refused_and_nothing_stored(dossier, invalid_coda_fixtures):
    for path in invalid_coda_fixtures:
        result = ingest_coda(dossier, path.read_bytes(), path.name)
        assert result.outcome == "refused" and "Line" in result.message, path.name
    assert counts() == (0, 0, 0, 0)


def test_adding_an_account_twice_is_refused(dossier, other_dossier):
    add_account(dossier, IBAN, connection_kind=Connection.KBC)
    account = BankAccount.objects.get()
    assert account.delivers_coda and account.connected_since is not None
    with pytest.raises(PortalError):
        add_account(other_dossier, IBAN)


def test_the_import_command_prints_one_line_per_statement(dossier, tmp_path, firm_a):
    one, two = chain(2)
    (tmp_path / "a.cod").write_bytes(one)
    (tmp_path / "b.cod").write_bytes(one + two)
    (tmp_path / "c.cod").write_bytes(b"garbage")
    out = StringIO()
    call_command("import_coda", "--firm", firm_a.slug, "--dossier", "0202.239.951", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith(f"a.cod: {IBAN} 2026/001: stored")
    assert lines[1].endswith(f"b.cod: {IBAN} 2026/001: duplicate")
    assert lines[2].endswith(f"b.cod: {IBAN} 2026/002: stored")
    assert "c.cod: refused: Line 1:" in lines[3]
    assert len(lines) == 4
