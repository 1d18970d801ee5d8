"""The Documents tab of a dossier: list with filters and totals, purchase upload, detail with findings,
download, and deciding about held documents."""

import functools
import io
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, F, Sum, When
from django.db.models.functions import TruncMonth
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from core.errors import PortalError
from dossiers.access import dossier_view
from dossiers.contact_views import SECTIONS
from firms.permissions import Permission, require

from . import decisions, quick_entry, sales, services
from .attachments import EXTENSIONS
from .bulk import FileList, import_files
from .forms import (
    AllowanceChargeFormSet,
    DocumentFilterForm,
    ExportAnywayForm,
    InboxUploadForm,
    MoveDocumentForm,
    QuickEntryForm,
    SalesHeaderForm,
    SalesLineFormSet,
    UploadDocumentsForm,
)
from .models import Direction, Document, DocumentStatus, InboxItem
from .money import Line
from .pdf import format_price
from .ubl_read import UblError, embedded_file

PAGE_SIZE = 100


def signed(field: str):
    """Credit notes count negative in totals."""
    return Case(When(is_credit_note=True, then=-F(field)), default=F(field))


@dossier_view
def document_list(request, dossier):
    filters = DocumentFilterForm(request.GET)
    for note in filters.left_out():
        messages.warning(request, note)
    documents = filters.filter_qs(Document.objects.filter(dossier=dossier))
    sums = {
        "count": Count("pk"),
        "excl": Sum(signed("tax_exclusive")),
        "vat": Sum(signed("tax_total")),
        "due": Sum(signed("payable")),
    }
    # Sales and purchases, and amounts in different currencies, are never added together. Drafts and what
    # is held back (a probable copy would count twice) are left out, unless that is what the filter asks for.
    final = filters.counted(documents)
    totals = final.values("direction", "currency").order_by("-direction", "currency").annotate(**sums)
    periods = (
        final.annotate(month=TruncMonth("issue_date"))
        .values("month", "direction", "currency")
        .order_by("-month", "-direction", "currency")
        .annotate(**sums)[:36]
    )
    form = UploadDocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Read one at a time (Django keeps large uploads on disk), imported as the import command does it,
        # without worker processes: PDFs and images go to quick entry.
        uploads = FileList(
            (upload.name, functools.partial(_read_upload, upload)) for upload in form.cleaned_data["files"]
        )
        for name, result in import_files(dossier, uploads, request.user, workers=1):
            held = result.document is not None and result.document.held_back
            level = messages.SUCCESS if result.outcome == "imported" and not held else messages.WARNING
            messages.add_message(request, level, f"{name}: {result.message}")
        return redirect("document_list", dossier.pk)
    page = Paginator(documents.select_related("duplicate_of"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "documents/list.html",
        {
            "dossier": dossier,
            "page": page,
            "documents": page.object_list,
            "params": params.urlencode(),
            "totals": totals,
            "periods": periods,
            "form": form,
            "direction": filters.value("direction") or "",
            "status": filters.value("status") or "",
            "statuses": DocumentStatus.choices,
            "directions": Direction.choices,
            "sections": SECTIONS.values(),
            "tab": "documents",
        },
    )


def _read_upload(upload) -> bytes:
    upload.seek(0)
    return upload.read()


@dossier_view
def document_detail(request, dossier, document_id):
    document = _document(dossier, document_id)
    lines = [
        (
            line,
            format_price(line.unit_price),
            Line(line.quantity, line.unit_price, line.vat_category, line.vat_rate, line.discount_percent).net,
        )
        for line in document.lines.all()
    ]
    return render(
        request,
        "documents/detail.html",
        {
            "dossier": dossier,
            "document": document,
            "lines": lines,
            "adjustments": document.allowances_charges.all(),
            "copy": bool(document.pdf) or _embedded(document) is not None,
            "findings": document.findings.all(),
            "schema_fails": document.findings.filter(layer="XSD").exists(),
            "anyway": ExportAnywayForm(),
            "sections": SECTIONS.values(),
            "tab": "documents",
        },
    )


def _document(dossier, document_id) -> Document:
    return get_object_or_404(Document.objects.filter(dossier=dossier), pk=document_id)


def _download(stored, content_type: str, filename: str) -> FileResponse:
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, content_type=content_type, filename=filename)


@dossier_view
def document_download(request, dossier, document_id):
    document = _document(dossier, document_id)
    return _download(document.ubl, "application/xml", f"{document.number or document.pk}.xml")


@require_POST
@dossier_view
def document_decide(request, dossier, document_id, decision):
    """Keep or delete. Keeping, and deleting a received document, are the firm's decisions; an entrepreneur
    deletes only drafts."""
    document = _document(dossier, document_id)
    if decision not in ("keep", "delete"):
        raise Http404
    require(request, Permission.DECIDE if decision == "keep" or document.is_received else Permission.ENTER)
    try:
        if decision == "keep":
            services.confirm_not_duplicate(document, request.user)
            messages.success(request, _("The document was confirmed."))
        else:
            services.delete_document(document, request.user)
            messages.success(request, _("The document was deleted."))
            return redirect("document_list", dossier.pk)
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("document_detail", dossier.pk, document.pk)


@dossier_view(permission=Permission.DECIDE)
def document_move(request, dossier, document_id):
    """Move a received document to another dossier of the firm: a picker proposes dossiers whose name or number
    matches the buyer's; a search finds others."""
    document = _document(dossier, document_id)
    form = MoveDocumentForm(request.POST or None, document=document, search=request.GET.get("q", ""))
    if request.method == "POST" and form.is_valid():
        try:
            decisions.move_document(document, form.cleaned_data["dossier"], request.user)
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            target = form.cleaned_data["dossier"]
            messages.success(request, _("The document was moved to %(dossier)s.") % {"dossier": target.name})
            return redirect("document_detail", target.pk, document.pk)
    return render(
        request,
        "documents/move.html",
        {
            "dossier": dossier,
            "document": document,
            "form": form,
            "search": request.GET.get("q", ""),
            "sections": SECTIONS.values(),
            "tab": "documents",
        },
    )


@require_POST
@dossier_view(permission=Permission.DECIDE)
def document_export_anyway(request, dossier, document_id):
    """Let a received document held for the rules leave anyway, with the accountant's reason."""
    document = _document(dossier, document_id)
    form = ExportAnywayForm(request.POST)
    if form.is_valid():
        try:
            decisions.export_anyway(document, form.cleaned_data["reason"], request.user)
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The document will be exported anyway; your reason is in its history."))
            return redirect("document_detail", dossier.pk, document.pk)
    else:
        messages.error(request, _("Say why this document may leave anyway."))
    return redirect("document_detail", dossier.pk, document.pk)


LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "discount_percent", "vat_rate")


def _line_initial(document: Document) -> list[dict]:
    return [
        {**{name: getattr(line, name) for name in LINE_FIELDS}, **_vat_initial(line)} for line in document.lines.all()
    ]


def _allowance_initial(document: Document) -> list[dict]:
    return [
        {
            "is_charge": "charge" if item.is_charge else "allowance",
            "reason": item.reason,
            "amount": item.amount,
            **_vat_initial(item),
        }
        for item in document.allowances_charges.all()
    ]


def _vat_initial(row) -> dict:
    return {
        "vat_rate": f"{row.vat_rate.normalize():f}",
        "exemption": "" if row.vat_category in ("S", "Z") else row.vat_category,
    }


@dossier_view
def sales_edit(request, dossier, document_id=None):
    """New or draft sales invoice / credit note; "Finalise" saves and finalises in one step."""
    document = None
    if document_id is not None:
        document = get_object_or_404(
            Document.objects.filter(dossier=dossier, direction=Direction.SALES), pk=document_id
        )
        if document.status != DocumentStatus.DRAFT:
            messages.error(request, _("A final document cannot be changed; correct it with a credit note."))
            return redirect("document_detail", dossier.pk, document.pk)
    # A credit note for an invoice starts as a copy of it ("?corrects=ID"), to take lines away from.
    source, initial = document, None
    if document is None and re.fullmatch(r"[0-9]{1,18}", request.GET.get("corrects", "")):
        source = get_object_or_404(
            Document.objects.filter(dossier=dossier, direction=Direction.SALES, is_credit_note=False).exclude(
                status=DocumentStatus.DRAFT
            ),
            pk=int(request.GET["corrects"]),
        )
        initial = {
            "customer": source.customer_id,
            "is_credit_note": True,
            "corrects": source.pk,
            "language": source.language,
            "payment_iban": source.payment_iban,
        }
    header = SalesHeaderForm(request.POST or None, instance=document, initial=initial, dossier=dossier)
    # Every row may be emptied to take it away, prefilled ones too (the lines' minimum of one still holds).
    rows = {"form_kwargs": {"empty_permitted": True, "use_required_attribute": False}}
    lines = SalesLineFormSet(
        request.POST or None,
        prefix="lines",
        initial=_line_initial(source) if source and not request.POST else None,
        **rows,
    )
    adjustments = AllowanceChargeFormSet(
        request.POST or None,
        prefix="adjustments",
        initial=_allowance_initial(source) if source and not request.POST else None,
        **rows,
    )
    if request.method == "POST" and all([header.is_valid(), lines.is_valid(), adjustments.is_valid()]):
        data = header.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "issue_date",
                "due_date",
                "payment_iban",
                "payment_reference",
                "buyer_reference",
                "order_reference",
                "payment_terms",
                "note",
                "language",
            )
        }
        try:
            with transaction.atomic():  # a finalisation that fails saves nothing, not even the draft
                draft = sales.save_draft(
                    dossier,
                    data["customer"],
                    [form.draft_line() for form in lines if form.has_changed()],
                    actor=request.user,
                    document=document,
                    is_credit_note=data["is_credit_note"],
                    corrects=data["corrects"],
                    allowances_charges=[form.allowance_charge() for form in adjustments if form.has_changed()],
                    **fields,
                )
                if "finalise" in request.POST:
                    draft = sales.finalise(draft, request.user)
            if "finalise" in request.POST:
                messages.success(request, _("%(number)s is final.") % {"number": draft.number})
            else:
                messages.success(request, _("The draft was saved."))
            return redirect("document_detail", dossier.pk, draft.pk)
        except PortalError as error:
            header.add_error(None, error.message)
    return render(
        request,
        "documents/sales_form.html",
        {
            "dossier": dossier,
            "document": document,
            "form": header,
            "lines": lines,
            "adjustments": adjustments,
            "sections": SECTIONS.values(),
            "tab": "documents",
        },
    )


@dossier_view
def document_pdf(request, dossier, document_id):
    """The human-readable copy: the PDF we rendered, or the PDF or scan embedded in a received UBL."""
    document = _document(dossier, document_id)
    if document.pdf:
        return _download(document.pdf, "application/pdf", f"{document.number}.pdf")
    embedded = _embedded(document)
    if embedded is None:
        raise Http404
    mime, content = embedded
    extension = EXTENSIONS[mime]
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        content_type=mime,
        filename=f"{document.number or document.pk}.{extension}",
    )


def _embedded(document: Document) -> tuple[str, bytes] | None:
    if not document.ubl:
        return None
    with document.ubl.open("rb") as stored:
        try:
            return embedded_file(stored.read())
        except UblError:
            return None


@dossier_view
def inbox(request, dossier):
    """Quick entry: the files waiting for their header fields, oldest first, and the upload."""
    form = InboxUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for upload in form.cleaned_data["files"]:
            try:
                quick_entry.add_to_inbox(dossier, upload.read(), upload.name, request.user)
                messages.success(request, _("%(name)s is waiting in the inbox.") % {"name": upload.name})
            except PortalError as error:
                messages.error(request, error.message)
        return redirect("inbox", dossier.pk)
    waiting = InboxItem.objects.filter(dossier=dossier, document__isnull=True)
    return render(
        request,
        "documents/inbox.html",
        {"dossier": dossier, "form": form, "waiting": waiting, "sections": SECTIONS.values(), "tab": "inbox"},
    )


@dossier_view
def inbox_item(request, dossier, item_id):
    item = get_object_or_404(InboxItem.objects.filter(dossier=dossier, document__isnull=True), pk=item_id)
    form = QuickEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = quick_entry.process(item, form.entry(), request.user)
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, result.message)
            return redirect("document_detail", dossier.pk, result.document.pk)
    return render(
        request,
        "documents/inbox_item.html",
        {"dossier": dossier, "item": item, "form": form, "sections": SECTIONS.values(), "tab": "inbox"},
    )


@xframe_options_sameorigin  # shown beside the entry form
@dossier_view
def inbox_file(request, dossier, item_id):
    item = get_object_or_404(InboxItem.objects.filter(dossier=dossier), pk=item_id)
    return FileResponse(item.file.open("rb"), content_type=item.content_type)
