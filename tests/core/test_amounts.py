"""One rule for every amount a person types (core.amounts), the same cases through every entry point: the
parser, the sales line, quick entry, the product form, the products sheet on the page and `import_contacts`."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from core.amounts import AmountError, NumberCell, parse_amount
from documents.forms import AllowanceChargeForm, QuickEntryForm, SalesLineForm
from dossiers.contacts import ProductSpec, product_columns
from dossiers.excel import read_sheet
from dossiers.forms import ProductForm
from dossiers.importing import plan_import
from dossiers.models import Dossier, Product

ACCEPTED = [
    ("1.250,00", Decimal("1250.00")),
    ("1250", Decimal("1250")),
    ("1 250,00", Decimal("1250.00")),
    ("1\u00a0250,00", Decimal("1250.00")),
    ("1250,5", Decimal("1250.5")),
    ("1250.5", Decimal("1250.5")),
    ("1,25", Decimal("1.25")),
    ("1,250.00", Decimal("1250.00")),
    ("1.250.000", Decimal("1250000")),
    ("€ 85", Decimal("85")),
    ("0.500", Decimal("0.500")),  # nobody writes a thousand as 0.500
]
AMBIGUOUS = ["1.250", "1,250", "12.500", "999,999"]
REFUSED = ["twaalf", "1,2,3", "12.50,0", "1e5", "NaN", "--1", ",5", ""]
NUMBER_CELLS = [(1250, Decimal("1250")), (1250.0, Decimal("1250")), (1.25, Decimal("1.25")), (1.234, Decimal("1.234"))]


@pytest.mark.parametrize(("text", "amount"), ACCEPTED)
def test_parser_accepts(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_parser_asks_again_for_one_separator_and_three_digits(text):
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert refused.value.code == "ambiguous"


@pytest.mark.parametrize("text", REFUSED)
def test_parser_refuses(text):
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize(("cell", "amount"), NUMBER_CELLS)
def test_a_number_cell_is_the_number_it_is(cell, amount):
    assert parse_amount(cell) == amount
    assert parse_amount(NumberCell(amount)) == amount


# Every form that reads an amount: (form class, field name, other valid data, extra keyword arguments)
def _forms(dossier):
    return [
        (SalesLineForm, "unit_price", {"description": "Uur", "quantity": "1", "unit": "C62", "vat_rate": "21"}, {}),
        (SalesLineForm, "quantity", {"description": "Uur", "unit_price": "1", "unit": "C62", "vat_rate": "21"}, {}),
        (AllowanceChargeForm, "amount", {"is_charge": "charge", "reason": "Transport", "vat_rate": "21"}, {}),
        (
            QuickEntryForm,
            "amount_21",
            {
                "supplier_name": "Lev",
                "supplier_vat": "BE0406798006",
                "number": "F1",
                "issue_date": "2026-11-20",
            },
            {},
        ),
        (
            ProductForm,
            "unit_price",
            {"reference": "P", "name": "Brood", "unit": "C62", "vat_rate": "21"},
            {"dossier": dossier},
        ),
    ]


@pytest.fixture
def dossier(firm_a):
    return Dossier.objects.create(name="Bakkerij", enterprise_number="0403170701")


def _form(form_class, field, text, rest, extra):
    with translation.override("nl"):
        form = form_class(data={**rest, field: text}, **extra)
        form.is_valid()
        return form


@pytest.mark.parametrize(("text", "amount"), ACCEPTED[:4])
def test_every_form_accepts(dossier, text, amount):
    for form_class, field, rest, extra in _forms(dossier):
        form = _form(form_class, field, text, rest, extra)
        assert field not in form.errors, (form_class.__name__, field, form.errors)
        assert form.cleaned_data[field] == amount, (form_class.__name__, field)


@pytest.mark.parametrize("text", AMBIGUOUS[:2])
def test_every_form_asks_again_and_keeps_what_was_typed(dossier, text):
    for form_class, field, rest, extra in _forms(dossier):
        form = _form(form_class, field, text, rest, extra)
        assert form.has_error(field, "ambiguous"), (form_class.__name__, field, form.errors)
        assert f'value="{text}"' in str(form[field]), (form_class.__name__, field)


def _sheet(cells) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Eigen referentie", "Naam", "Eenheid", "Eenheidsprijs", "Btw-tarief"])
    for index, cell in enumerate(cells):
        sheet.append([f"P{index}", "Brood", "C62", cell, "6"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SHEET_CELLS = [text for text, _amount in ACCEPTED[:4]] + [cell for cell, _amount in NUMBER_CELLS]
SHEET_AMOUNTS = [amount for _text, amount in ACCEPTED[:4]] + [amount for _cell, amount in NUMBER_CELLS]


def test_the_products_sheet_reads_amounts_by_the_same_rule(dossier):
    with translation.override("nl"):
        plan = plan_import(ProductSpec(dossier), read_sheet(_sheet(SHEET_CELLS + ["1.250"]), product_columns()))
    assert [(error.row, error.column) for error in plan.errors] == [(len(SHEET_CELLS) + 2, "Eenheidsprijs")]
    assert "twee manieren" in plan.errors[0].message
    assert [values["unit_price"] for values in plan.creates] == SHEET_AMOUNTS


def test_the_products_sheet_on_the_page(logged_in_a, dossier):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = logged_in_a.post(
        f"/dossiers/{dossier.pk}/products/import/", {"file": SimpleUploadedFile("p.xlsx", _sheet(["1.250"]))}
    )
    assert "1.250" in response.content.decode() and Product.objects.count() == 0


def test_import_contacts_command(dossier, tmp_path):
    path = tmp_path / "products.xlsx"
    path.write_bytes(_sheet(["1.250"]))
    out = io.StringIO()
    call_command(
        "import_contacts", "--firm", "firm-a", "--dossier", "0403170701", "--kind", "products", str(path), stdout=out
    )
    assert "errors: 1" in out.getvalue() and Product.objects.count() == 0
    path.write_bytes(_sheet(SHEET_CELLS))
    out = io.StringIO()
    call_command(
        "import_contacts",
        "--firm",
        "firm-a",
        "--dossier",
        "0403170701",
        "--kind",
        "products",
        str(path),
        "--apply",
        stdout=out,
    )
    assert f"applied: {len(SHEET_CELLS)} created" in out.getvalue()
    assert sorted(Product.objects.values_list("unit_price", flat=True)) == sorted(SHEET_AMOUNTS)
