"""The upload → preview → confirm page and the .xlsx download, shared by every Excel import and export."""

import uuid

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import PortalError

from .excel import SheetError, read_sheet, write_sheet
from .forms import UploadForm
from .importing import Spec, apply_import, plan_import

PREVIEW_SECONDS = 30 * 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_page(request, spec: Spec, *, scope: str, title: str, template_url: str, done_url: str, back_url: str):
    """Upload shows the preview (nothing written); the confirmation re-reads the same bytes, plans again
    and applies in one transaction. The uploaded sheet waits in the cache, keyed by user and scope."""
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"title": title, "template_url": template_url, "back_url": back_url, "form": form}
    if request.method == "POST" and "confirm" in request.POST:
        key = f"import:{scope}:{request.user.pk}:{request.POST['confirm']}"
        data = cache.get(key)
        if data is None:
            messages.error(request, _("The preview has expired. Please upload the file again."))
            return redirect(request.path)
        try:
            created, updated = apply_import(spec, plan_import(spec, read_sheet(data, spec.columns())), request.user)
        except (PortalError, SheetError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect(request.path)
        cache.delete(key)
        messages.success(
            request,
            _("Import done: %(created)s created, %(updated)s updated.") % {"created": created, "updated": updated},
        )
        return redirect(done_url)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            rows = read_sheet(data, spec.columns())
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            token = uuid.uuid4().hex
            cache.set(f"import:{scope}:{request.user.pk}:{token}", data, PREVIEW_SECONDS)
            return render(
                request, "dossiers/import_preview.html", {**context, "plan": plan_import(spec, rows), "token": token}
            )
    return render(request, "dossiers/import.html", context)


def xlsx_response(columns, rows, *, title: str, filename: str, example: bool) -> HttpResponse:
    response = HttpResponse(write_sheet(columns, rows, title=title, example=example), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
