"""The Documents tab: filters and totals per month (credit notes subtracted, drafts left out)."""

from datetime import date
from decimal import Decimal

from documents.models import Direction, DocumentStatus
from tests.factories import DocumentFactory, DossierFactory


def test_totals_per_month_subtract_credit_notes_and_skip_drafts(logged_in_a):
    dossier = DossierFactory()
    DocumentFactory(
        dossier=dossier,
        issue_date=date(2026, 10, 3),
        tax_exclusive=Decimal("100.00"),
        tax_total=Decimal("21.00"),
        payable=Decimal("121.00"),
    )
    DocumentFactory(
        dossier=dossier,
        issue_date=date(2026, 10, 9),
        is_credit_note=True,
        tax_exclusive=Decimal("40.00"),
        tax_total=Decimal("8.40"),
        payable=Decimal("48.40"),
    )
    DocumentFactory(
        dossier=dossier,
        issue_date=date(2026, 11, 2),
        tax_exclusive=Decimal("10.00"),
        tax_total=Decimal("0.60"),
        payable=Decimal("10.60"),
    )
    DocumentFactory(
        dossier=dossier,
        issue_date=date(2026, 11, 5),
        direction=Direction.SALES,
        status=DocumentStatus.DRAFT,
        payable=Decimal("999.00"),
    )
    response = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/")
    periods = [
        (p["month"], p["direction"], p["count"], p["excl"], p["vat"], p["due"]) for p in response.context["periods"]
    ]
    assert periods == [
        (date(2026, 11, 1), "purchase", 1, Decimal("10.00"), Decimal("0.60"), Decimal("10.60")),
        (date(2026, 10, 1), "purchase", 2, Decimal("60.00"), Decimal("12.60"), Decimal("72.60")),
    ]
    html = response.content.decode()
    assert "oktober 2026" in html and "72,60" in html


def test_filters_by_direction_and_period(logged_in_a):
    dossier = DossierFactory()
    DocumentFactory(dossier=dossier, number="P-OKT", issue_date=date(2026, 10, 3))
    DocumentFactory(dossier=dossier, number="S-OKT", issue_date=date(2026, 10, 4), direction=Direction.SALES)
    DocumentFactory(dossier=dossier, number="P-NOV", issue_date=date(2026, 11, 4))
    response = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/?direction=purchase&from=2026-10-01&until=2026-10-31")
    assert [d.number for d in response.context["documents"]] == ["P-OKT"]


def test_totals_keep_sales_purchases_and_currencies_apart(logged_in_a):
    """Adding a sale to a purchase, or dollars to euros, gives a number that means nothing."""
    dossier = DossierFactory()
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 3), payable=Decimal("121.00"))
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 4), payable=Decimal("50.00"), currency="USD")
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 5), direction=Direction.SALES, payable=Decimal("242.00"))
    response = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/")
    assert [(t["direction"], t["currency"], t["count"], t["due"]) for t in response.context["totals"]] == [
        ("sales", "EUR", 1, Decimal("242.00")),
        ("purchase", "EUR", 1, Decimal("121.00")),
        ("purchase", "USD", 1, Decimal("50.00")),
    ]
    assert [(p["direction"], p["currency"], p["due"]) for p in response.context["periods"]] == [
        ("sales", "EUR", Decimal("242.00")),
        ("purchase", "EUR", Decimal("121.00")),
        ("purchase", "USD", Decimal("50.00")),
    ]
    assert "413,00" not in response.content.decode()


def test_a_date_filter_that_is_not_a_date_is_left_out_with_a_message(logged_in_a):
    dossier = DossierFactory()
    DocumentFactory(dossier=dossier, number="P-OKT", issue_date=date(2026, 10, 3))
    response = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/?from=2026-13-45")
    assert response.status_code == 200
    assert [d.number for d in response.context["documents"]] == ["P-OKT"]
    assert "“2026-13-45” is geen datum" in response.content.decode()


def test_held_back_documents_are_not_counted_unless_filtered_on(logged_in_a):
    """A probable duplicate would count the same invoice twice."""
    dossier = DossierFactory()
    DocumentFactory(dossier=dossier, issue_date=date(2026, 10, 3), payable=Decimal("121.00"))
    DocumentFactory(
        dossier=dossier, issue_date=date(2026, 10, 4), payable=Decimal("121.00"), status=DocumentStatus.NEEDS_ATTENTION
    )
    everything = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/").context
    assert [(t["count"], t["due"]) for t in everything["totals"]] == [(1, Decimal("121.00"))]
    assert [p["due"] for p in everything["periods"]] == [Decimal("121.00")]
    held = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/?status=attention").context
    assert [(t["count"], t["due"]) for t in held["totals"]] == [(1, Decimal("121.00"))]


def test_a_long_list_is_paged_and_keeps_its_filter(logged_in_a):
    dossier = DossierFactory()
    for day in range(1, 29):
        for _n in range(5):
            DocumentFactory(dossier=dossier, issue_date=date(2026, 10, day))
    DocumentFactory(dossier=dossier, direction=Direction.SALES, issue_date=date(2026, 10, 1))
    first = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/?direction=purchase")
    assert len(first.context["documents"]) == 100
    assert "?direction=purchase&page=2" in first.content.decode()
    second = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/?direction=purchase&page=2")
    assert len(second.context["documents"]) == 40
    assert [(t["direction"], t["count"]) for t in second.context["totals"]] == [("purchase", 140)]
