"""The Documents tab of a dossier: list with filters and totals, purchase upload, detail with findings,
download, and deciding about held documents."""

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.access import dossier_view
from dossiers.contact_views import SECTIONS
from portal.services import PortalError

from . import services
from .forms import UploadDocumentsForm
from .models import Direction, Document, DocumentStatus


@dossier_view
def document_list(request, dossier):
    documents = Document.objects.filter(dossier=dossier)
    direction = request.GET.get("direction", "")
    status = request.GET.get("status", "")
    if direction in Direction.values:
        documents = documents.filter(direction=direction)
    if status in DocumentStatus.values:
        documents = documents.filter(status=status)
    for bound, field in (("from", "issue_date__gte"), ("until", "issue_date__lte")):
        value = request.GET.get(bound, "")
        if len(value) == 10:
            documents = documents.filter(**{field: value})
    totals = documents.aggregate(count=Count("pk"), excl=Sum("tax_exclusive"), vat=Sum("tax_total"),
                                 due=Sum("payable"))
    form = UploadDocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for upload in form.cleaned_data["files"]:
            result = services.import_purchase(dossier, upload.read(), upload.name, request.user)
            level = messages.SUCCESS if result.outcome == "imported" else messages.WARNING
            messages.add_message(request, level, f"{upload.name}: {result.message}")
        return redirect("document_list", dossier.pk)
    return render(request, "documents/list.html", {
        "dossier": dossier, "documents": documents.select_related("duplicate_of")[:500], "totals": totals,
        "form": form, "direction": direction, "status": status, "statuses": DocumentStatus.choices,
        "directions": Direction.choices, "sections": SECTIONS.values(), "tab": "documents",
    })


@dossier_view
def document_detail(request, dossier, document_id):
    document = get_object_or_404(Document.objects.filter(dossier=dossier), pk=document_id)
    return render(request, "documents/detail.html", {"dossier": dossier, "document": document,
                                                     "findings": document.findings.all(),
                                                     "sections": SECTIONS.values(), "tab": "documents"})


@dossier_view
def document_download(request, dossier, document_id):
    document = get_object_or_404(Document.objects.filter(dossier=dossier), pk=document_id)
    if not document.ubl:
        raise Http404
    return FileResponse(document.ubl.open("rb"), as_attachment=True, content_type="application/xml",
                        filename=f"{document.number or document.pk}.xml")


@require_POST
@dossier_view
def document_decide(request, dossier, document_id, decision):
    document = get_object_or_404(Document.objects.filter(dossier=dossier), pk=document_id)
    try:
        if decision == "keep":
            services.confirm_not_duplicate(document, request.user)
            messages.success(request, _("The document was confirmed."))
        elif decision == "delete":
            services.delete_document(document, request.user)
            messages.success(request, _("The document was deleted."))
            return redirect("document_list", dossier.pk)
        else:
            raise Http404
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("document_detail", dossier.pk, document.pk)
