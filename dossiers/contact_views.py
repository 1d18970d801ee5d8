"""Customers, suppliers and products of a dossier: list, add, edit, Excel import and export. Open to the
firm's staff and to the dossier's entrepreneur (they invoice these customers)."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
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


@dossier_view
def record_list(request, dossier, section):
    section = _section(section)
    query = request.GET.get("q", "").strip()
    records = section.records(dossier)
    if query:
        records = records.filter(name__icontains=query)
    return render(
        request,
        "dossiers/records.html",
        {
            "dossier": dossier,
            "section": section,
            "sections": SECTIONS.values(),
            "records": records[:500],
            "query": query,
            "total": records.count(),
        },
    )


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
