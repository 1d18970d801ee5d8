"""Customers, suppliers and products of a dossier: list, add, edit, Excel import and export. Open to the
firm's staff and to the dossier's entrepreneur (they invoice these customers)."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import dossier_view
from .contacts import ContactSpec, ProductSpec, contact_columns, contact_row, product_columns, product_row
from .forms import ContactForm, ProductForm
from .import_views import import_page, xlsx_response
from .models import Contact, ContactKind, Product


@dataclass(frozen=True)
class Section:
    slug: str
    title: str | Promise
    kind: str | None  # contact kind, None for products

    def records(self, dossier):
        if self.kind is None:
            return Product.objects.filter(dossier=dossier)
        return Contact.objects.filter(dossier=dossier, kind=self.kind)

    def form(self, dossier, *args, **kwargs):
        if self.kind is None:
            return ProductForm(*args, dossier=dossier, **kwargs)
        return ContactForm(*args, dossier=dossier, kind=self.kind, **kwargs)

    def spec(self, dossier):
        return ProductSpec(dossier) if self.kind is None else ContactSpec(dossier, self.kind)

    def columns(self):
        return product_columns() if self.kind is None else contact_columns()

    def row(self, record):
        return product_row(record) if self.kind is None else contact_row(record)


SECTIONS = {
    "customers": Section("customers", gettext_lazy("Customers"), ContactKind.CUSTOMER),
    "suppliers": Section("suppliers", gettext_lazy("Suppliers"), ContactKind.SUPPLIER),
    "products": Section("products", gettext_lazy("Products"), None),
}


def _section(slug: str) -> Section:
    if slug not in SECTIONS:
        raise Http404
    return SECTIONS[slug]


PAGE_SIZE = 50
PICKER_SIZE = 15


def _search(section: Section, dossier, query: str):
    """Records of the section matching `query` in name, own reference, VAT number, email or city."""
    records = section.records(dossier)
    if query:
        condition = Q(name__icontains=query) | Q(reference__icontains=query)
        if section.kind is not None:
            condition |= Q(vat_number__icontains=query) | Q(email__icontains=query) | Q(city__icontains=query)
        records = records.filter(condition)
    return records.order_by("name", "pk")


@dossier_view
def record_list(request, dossier, section):
    section = _section(section)
    query = request.GET.get("q", "").strip()[:200]
    page = Paginator(_search(section, dossier, query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/records.html",
        {
            "dossier": dossier,
            "section": section,
            "sections": SECTIONS.values(),
            "page": page,
            "records": page.object_list,
            "query": query,
            "total": page.paginator.count,
            "params": urlencode({"q": query}) if query else "",
        },
    )


def _price(value: Decimal) -> str:
    """2 decimals, more only where the price has them (0.1234 stays)."""
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:.2f}" if cents == value else f"{value.normalize():f}"


@dossier_view
def record_search(request, dossier, section):
    """Type-to-search for the pickers (product on invoice lines, supplier in quick entry): the first matches as
    JSON, with the values a picked record fills in."""
    section = _section(section)
    query = request.GET.get("q", "").strip()[:200]
    records = _search(section, dossier, query)[:PICKER_SIZE]
    if section.kind is None:
        results = [
            {
                "id": p.pk,
                "label": f"{p.name} ({p.reference})",
                "name": p.name,
                "unit": p.unit,
                "unit_price": _price(p.unit_price),
                "vat_rate": p.vat_rate,
            }
            for p in records
        ]
    else:
        results = [
            {
                "id": c.pk,
                "label": f"{c.name}{f' · {c.vat_number}' if c.vat_number else ''}",
                "name": c.name,
                "vat_number": c.vat_number,
                "street": c.street,
                "postal_code": c.postal_code,
                "city": c.city,
                "country": c.country,
                "iban": c.iban,
            }
            for c in records
        ]
    return JsonResponse({"results": results})


@dossier_view
def record_edit(request, dossier, section, record_id=None):
    section = _section(section)
    record = get_object_or_404(section.records(dossier), pk=record_id) if record_id else None
    form = section.form(dossier, request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
        return redirect("record_list", dossier.pk, section.slug)
    return render(
        request,
        "dossiers/record_form.html",
        {
            "dossier": dossier,
            "section": section,
            "sections": SECTIONS.values(),
            "form": form,
            "record": record,
        },
    )


@dossier_view
def record_import(request, dossier, section):
    section = _section(section)
    url = reverse("record_list", args=[dossier.pk, section.slug])
    return import_page(
        request,
        section.spec(dossier),
        scope=f"{section.slug}:{dossier.pk}",
        title=_("Import %(what)s") % {"what": str(section.title).lower()},
        template_url=reverse("record_export", args=[dossier.pk, section.slug]) + "?template=1",
        done_url=url,
        back_url=url,
    )


@dossier_view
def record_export(request, dossier, section):
    section = _section(section)
    template = request.GET.get("template") == "1"
    rows = [] if template else (section.row(record) for record in section.records(dossier).iterator())
    return xlsx_response(
        section.columns(),
        rows,
        title=str(section.title),
        example=template,
        filename=f"{section.slug}{'-template' if template else ''}.xlsx",
    )
