"""Missing statements: a skipped number, a balance break, the yearly restart, and closing a gap."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banking.gaps import dossiers_with_gaps, gaps_for_dossier
from banking.services import ingest_coda
from dossiers.models import Dossier

from .factories import chain


@pytest.fixture
def dossier(firm_a):
    return Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0202239951")


def ingest(dossier, files):
    for data in files:
        assert ingest_coda(dossier, data, "x.cod").outcome == "stored"


def test_consecutive_statements_have_no_gap(dossier):
    ingest(dossier, chain(5))
    assert gaps_for_dossier(dossier.pk) == []
    assert dossiers_with_gaps() == []


def test_a_skipped_number_is_a_gap_until_it_arrives(dossier):
    files = chain(5)
    ingest(dossier, files[:2] + files[3:])
    [gap] = gaps_for_dossier(dossier.pk)
    assert gap.missing_numbers and (gap.previous_number, gap.number) == (2, 4) and gap.missing == "2026/003"
    assert dossiers_with_gaps() == [{"dossier_id": dossier.pk, "name": dossier.name, "gaps": 1, "accounts": 1}]
    ingest(dossier, files[2:3])
    assert gaps_for_dossier(dossier.pk) == []
    assert dossiers_with_gaps() == []


def test_a_balance_break_is_a_gap(dossier):
    ingest(dossier, chain(2))
    ingest(dossier, chain(1, first_number=3, start=date(2026, 3, 4), balance=Decimal("999.00")))
    [gap] = gaps_for_dossier(dossier.pk)
    assert gap.balance_break and not gap.missing_numbers
    assert gap.previous_balance == Decimal("120.00") and gap.old_balance == Decimal("999.00")


def test_number_one_in_january_follows_december(dossier):
    december = chain(2, first_number=249, start=date(2025, 12, 30))
    january = chain(2, first_number=1, start=date(2026, 1, 2), balance=Decimal("120.00"))
    ingest(dossier, december + january)
    assert gaps_for_dossier(dossier.pk) == []


def test_a_new_year_starting_after_one_is_a_gap(dossier):
    ingest(dossier, chain(1, first_number=250, start=date(2025, 12, 31)))
    ingest(dossier, chain(1, first_number=2, start=date(2026, 1, 5), balance=Decimal("110.00")))
    [gap] = gaps_for_dossier(dossier.pk)
    assert gap.missing_numbers and gap.year == 2026


def test_the_gap_check_is_one_query_whatever_the_history(dossier):
    files = chain(60)
    ingest(dossier, files[:30] + files[31:])
    with CaptureQueriesContext(connection) as queries:
        gaps = gaps_for_dossier(dossier.pk)
    # django-tenants sets the search path on each new cursor; that is not a query about statements.
    statements = [q for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]
    assert len(gaps) == 1 and len(statements) == 1
