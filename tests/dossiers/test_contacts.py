"""Customers, suppliers and products per dossier: add, edit, Excel import with upsert, entrepreneur access."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from dossiers.models import Contact, Dossier, Product
from firms.models import DossierAccess, User

from ..conftest import PASSWORD
from .sheets import xlsx

CONTACT_HEADER = [
    "Eigen referentie",
    "Naam *",
    "Btw-nummer",
    "Straat en nummer",
    "Postcode",
    "Gemeente",
    "Land",
    "E-mail",
    "IBAN",
    "Taal",
]
PRODUCT_HEADER = ["Eigen referentie", "Naam", "Eenheid", "Eenheidsprijs", "Btw-tarief"]


def make_dossier():
    return Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0403170701")


def import_sheet(client, dossier, section, data):
    preview = client.post(f"/dossiers/{dossier.pk}/{section}/import/", {"file": SimpleUploadedFile("s.xlsx", data)})
    plan = preview.context["plan"]
    if not plan.errors:
        client.post(f"/dossiers/{dossier.pk}/{section}/import/", {"confirm": preview.context["token"]})
    return plan


def test_add_customer_with_bad_vat_keeps_input_and_saves_nothing(logged_in_a):
    dossier = make_dossier()
    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/customers/add/",
        {"name": "Klant", "vat_number": "BE0403170702", "country": "BE", "language": "nl"},
    )
    assert response.status_code == 200
    assert "btw" in str(response.context["form"].errors["vat_number"]).lower()
    assert 'value="Klant"' in response.content.decode()
    assert Contact.objects.count() == 0


def test_customer_import_upserts_by_vat_number_or_reference(logged_in_a):
    dossier = make_dossier()
    rows = [
        ["K1", "Brouwerij", "BE 0202.239.951", "Straat 1", "2018", "Antwerpen", "", "x@b.example", "", "nl"],
        ["K2", "Zonder btw", "", "", "", "", "", "", "BE71 0961 2345 6769", "fr"],
        ["", "Nederlandse klant", "NL004495445B01", "", "", "", "", "", "", "en"],
    ]
    plan = import_sheet(logged_in_a, dossier, "customers", xlsx(rows, CONTACT_HEADER))
    assert (len(plan.creates), plan.errors) == (3, [])
    contact = Contact.objects.get(vat_number="BE0202239951")
    assert (contact.enterprise_number, contact.kind) == ("0202239951", "customer")
    assert Contact.objects.get(vat_number="NL004495445B01").country == "NL"

    rows[0][1] = "Brouwerij NV"
    plan = import_sheet(logged_in_a, dossier, "customers", xlsx(rows, CONTACT_HEADER))
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 1, 2)
    assert Contact.objects.get(vat_number="BE0202239951").name == "Brouwerij NV"
    assert Contact.objects.count() == 3
    # The same sheet on the suppliers tab creates suppliers, not customers.
    import_sheet(logged_in_a, dossier, "suppliers", xlsx(rows, CONTACT_HEADER))
    assert Contact.objects.filter(kind="supplier").count() == 3


def test_contact_rows_with_errors(logged_in_a):
    dossier = make_dossier()
    rows = [
        ["", "Geen sleutel", "", "", "", "", "", "", "", ""],
        ["K9", "Slechte IBAN", "", "", "", "", "", "", "BE00 1234", ""],
    ]
    plan = import_sheet(logged_in_a, dossier, "customers", xlsx(rows, CONTACT_HEADER))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Eigen referentie"), (3, "IBAN")]
    assert Contact.objects.count() == 0


def test_product_import_reads_belgian_amounts_exactly(logged_in_a):
    dossier = make_dossier()
    rows = [
        ["P1", "Uur boekhouding", "HUR", "1.234,5678", "21"],
        ["P2", "Brood", "", "2.35", "6"],
        ["P3", "Fout", "", "twaalf", "7"],
    ]
    plan = import_sheet(logged_in_a, dossier, "products", xlsx(rows, PRODUCT_HEADER))
    assert [(e.row, e.column) for e in plan.errors] == [(4, "Eenheidsprijs"), (4, "Btw-tarief")]
    plan = import_sheet(logged_in_a, dossier, "products", xlsx(rows[:2], PRODUCT_HEADER))
    assert Product.objects.get(reference="P1").unit_price == Decimal("1234.5678")
    assert Product.objects.get(reference="P2").unit_price == Decimal("2.35")
    export = logged_in_a.get(f"/dossiers/{dossier.pk}/products/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["P1"][:5] == ("P1", "Uur boekhouding", "HUR", "1234,5678", "21")


def test_entrepreneur_manages_own_customers_only(firm_a):
    own, other = make_dossier(), Dossier.objects.create(name="Ander", enterprise_number="0202239951")
    user = User.objects.create_user("an@peeters.example", PASSWORD)
    DossierAccess.objects.create(user=user, firm=firm_a, dossier_id=own.pk)
    client = Client(HTTP_HOST="firm-a.localhost")
    client.force_login(user)
    response = client.post(
        f"/dossiers/{own.pk}/customers/add/", {"name": "Klant", "reference": "K1", "country": "BE", "language": "nl"}
    )
    assert response.status_code == 302
    assert client.get(f"/dossiers/{other.pk}/customers/").status_code == 404
    contact = Contact.objects.create(dossier=other, kind="customer", name="Geheim", reference="X")
    assert client.get(f"/dossiers/{own.pk}/customers/{contact.pk}/").status_code == 404
