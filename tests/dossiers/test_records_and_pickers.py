"""Customer, supplier and product lists are paged with search (no cut at 500); the pickers of the sales form
(product on invoice lines) and quick entry (supplier) offer the dossier's own records, type-to-search."""

import base64
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import InboxItem
from dossiers.models import Contact, Product
from tests.factories import DossierFactory

from .test_access import entrepreneur_of


def suppliers(dossier, count):
    Contact.objects.bulk_create(
        [
            Contact(dossier=dossier, kind="supplier", name=f"Leverancier {i:04d}", city="Gent" if i % 2 else "Luik")
            for i in range(count)
        ]
    )


def test_lists_are_paged_beyond_500_and_searched(logged_in_a):
    dossier = DossierFactory()
    suppliers(dossier, 620)
    first = logged_in_a.get(f"/dossiers/{dossier.pk}/suppliers/")
    assert first.context["total"] == 620 and len(first.context["records"]) == 50
    last = logged_in_a.get(f"/dossiers/{dossier.pk}/suppliers/?page=13")
    assert [c.name for c in last.context["records"]] == [f"Leverancier {i:04d}" for i in range(600, 620)]
    found = logged_in_a.get(f"/dossiers/{dossier.pk}/suppliers/?q=luik")
    assert found.context["total"] == 310
    assert "?q=luik&page=2" in found.content.decode()
    nothing = logged_in_a.get(f"/dossiers/{dossier.pk}/suppliers/?q=zzz").content.decode()
    assert "Niets gevonden voor deze zoekopdracht." in nothing


def test_the_product_picker_offers_the_dossiers_products_with_what_they_fill_in(logged_in_a):
    dossier = DossierFactory()
    Product.objects.create(
        dossier=dossier, reference="BRD", name="Brood", unit="C62", unit_price=Decimal("2.5"), vat_rate="6"
    )
    Product.objects.create(dossier=dossier, reference="UUR", name="Uur advies", unit="HUR", unit_price=Decimal("85"))
    Product.objects.create(dossier=DossierFactory(), reference="X", name="Brood van een ander", unit_price=1)
    results = logged_in_a.get(f"/dossiers/{dossier.pk}/products/search.json?q=bro").json()["results"]
    assert results == [
        {
            "id": results[0]["id"],
            "label": "Brood (BRD)",
            "name": "Brood",
            "unit": "C62",
            "unit_price": "2.50",
            "vat_rate": "6",
        }
    ]
    form = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/new/").content.decode()
    assert f'data-product-search="/dossiers/{dossier.pk}/products/search.json"' in form
    assert "dossiers/pickers.js" in form and "dossiers/totals.js" in form and 'id="running-totals"' in form


def test_the_supplier_picker_fills_name_vat_address_and_iban(logged_in_a):
    dossier = DossierFactory()
    Contact.objects.create(
        dossier=dossier,
        kind="supplier",
        name="Brouwerij Het Anker",
        vat_number="BE0403170701",
        street="Guido Gezellelaan 49",
        postal_code="2800",
        city="Mechelen",
        iban="BE68539007547034",
    )
    Contact.objects.create(dossier=dossier, kind="customer", name="Anker Klant")
    results = logged_in_a.get(f"/dossiers/{dossier.pk}/suppliers/search.json?q=anker").json()["results"]
    assert [(r["name"], r["vat_number"], r["city"], r["iban"]) for r in results] == [
        ("Brouwerij Het Anker", "BE0403170701", "Mechelen", "BE68539007547034")
    ]
    by_vat = logged_in_a.get(f"/dossiers/{dossier.pk}/suppliers/search.json?q=0403170").json()["results"]
    assert len(by_vat) == 1


def test_an_entrepreneur_searches_only_their_own_dossier(firm_a):
    own, other = DossierFactory(), DossierFactory()
    Product.objects.create(dossier=other, reference="G", name="Geheim", unit_price=1)
    client = entrepreneur_of(firm_a, own)
    assert client.get(f"/dossiers/{own.pk}/products/search.json?q=geh").json() == {"results": []}
    assert client.get(f"/dossiers/{other.pk}/products/search.json?q=geh").status_code == 404
    assert client.get(f"/dossiers/{own.pk}/nonsense/search.json").status_code == 404


def test_quick_entry_offers_the_supplier_picker(logged_in_a):
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    dossier = DossierFactory()
    logged_in_a.post(f"/dossiers/{dossier.pk}/quick-entry/", {"files": [SimpleUploadedFile("bon.png", png)]})
    item = InboxItem.objects.get(dossier=dossier)
    html = logged_in_a.get(f"/dossiers/{dossier.pk}/quick-entry/{item.pk}/").content.decode()
    assert f'data-supplier-search="/dossiers/{dossier.pk}/suppliers/search.json"' in html
    assert "dossiers/pickers.js" in html and 'name="supplier_name"' in html
