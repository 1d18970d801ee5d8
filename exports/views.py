"""The Integrations tab (export settings), the Export tab (manual export and history for the accountant,
submitting for export for the entrepreneur), and exporting several dossiers from the dossiers list."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import PortalError
from dossiers.access import dossier_view
from dossiers.contact_views import SECTIONS
from dossiers.models import Dossier
from firms.permissions import Permission, permission_required
from firms.services import firm_url

from . import layout, services
from .forms import ExportSettingsForm, ManualExportForm, PeriodForm
from .layout import LayoutError
from .models import ExportBatch, ExportItem, Submission


def _tab(dossier, tab, **context):
    return {"dossier": dossier, "sections": SECTIONS.values(), "tab": tab, **context}


@permission_required(Permission.WORK)
@dossier_view
def integrations(request, dossier):
    current = services.settings_for(dossier)
    defaults = layout.folders(current.bob_reference, dossier.name, {})
    form = ExportSettingsForm(request.POST or None, instance=current, folders=defaults)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(dossier, {name: form.cleaned_data[name] for name in form.Meta.fields}, request.user)
        except LayoutError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The export settings were saved."))
            return redirect("export_integrations", dossier.pk)
    return render(
        request,
        "exports/integrations.html",
        _tab(
            dossier,
            "integrations",
            form=form,
            folders=services.target_folders(dossier, current),
            next_export=services.next_automatic_export(current),
        ),
    )


@dossier_view
def export(request, dossier):
    if request.membership is None:
        return _submit(request, dossier)
    Submission.objects.filter(dossier=dossier, seen_at__isnull=True).update(seen_at=timezone.now())
    form = ManualExportForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        choice = form.choice()
        if request.POST.get("action") == "export":
            batch = services.export_manually(dossier, choice, request.user)
            if batch is None:
                messages.warning(request, _("Nothing to export for this choice."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d file is waiting for the agent.",
                        "%(n)d files are waiting for the agent.",
                        batch.item_count,
                    )
                    % {"n": batch.item_count},
                )
            return redirect("export", dossier.pk)
        preview = services.preview_manual_export(dossier, choice)
        preview["total"] = sum(preview.values())
    batches = Paginator(ExportBatch.objects.filter(dossier=dossier).prefetch_related("items"), 10).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "exports/export.html",
        _tab(
            dossier,
            "export",
            form=form,
            preview=preview,
            batches=batches,
            held_back=services.held_back_counts([dossier.pk]).get(dossier.pk, 0),
            failed=ExportItem.objects.failed().filter(dossier=dossier),
        ),
    )


def _submit(request, dossier):
    """The entrepreneur's side of the Export tab: what is ready, and submitting it (all or a period)."""
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link = firm_url(request.tenant, request, reverse("export", args=[dossier.pk]))
        try:
            submission = services.submit_for_export(
                dossier,
                request.user,
                form.cleaned_data.get("period_from"),
                form.cleaned_data.get("period_until"),
                link=link,
            )
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d document was submitted to your accountant.",
                    "%(n)d documents were submitted to your accountant.",
                    submission.document_count,
                )
                % {"n": submission.document_count},
            )
            return redirect("export", dossier.pk)
    ready = services.awaiting_approval(dossier).order_by("issue_date", "pk")
    return render(
        request,
        "exports/submit.html",
        _tab(
            dossier,
            "export",
            form=form,
            ready=ready[:200],
            ready_count=ready.count(),
            export_settings=services.settings_for(dossier),
            submissions=dossier.submissions.all()[:10],
        ),
    )


@require_POST
@permission_required(Permission.WORK)
@dossier_view
def requeue(request, dossier, item_id):
    item = get_object_or_404(ExportItem.objects.filter(dossier=dossier), pk=item_id)
    try:
        services.requeue_item(item, request.user)
        messages.success(request, _("The file will be delivered again."))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("export", dossier.pk)


@require_POST
@permission_required(Permission.WORK)
def bulk_export(request):
    """Several dossiers at once from the dossiers list: choose period and kinds, preview, export."""
    ids = [int(value) for value in request.POST.getlist("dossier") if value.isdigit()]
    dossiers = list(Dossier.objects.filter(pk__in=ids).order_by("name"))
    if not dossiers:
        messages.error(request, _("Select one or more dossiers first."))
        return redirect("dossier_list")
    form = ManualExportForm(request.POST if "action" in request.POST else None)
    preview = None
    if form.is_bound and form.is_valid():
        choice = form.choice()
        if request.POST["action"] == "export":
            total = sum(
                batch.item_count
                for dossier in dossiers
                if (batch := services.export_manually(dossier, choice, request.user))
            )
            messages.success(
                request,
                ngettext("%(n)d file is waiting for the agent.", "%(n)d files are waiting for the agent.", total)
                % {"n": total},
            )
            return redirect("dossier_list")
        preview = [(dossier, sum(services.preview_manual_export(dossier, choice).values())) for dossier in dossiers]
    return render(
        request,
        "exports/bulk.html",
        {"dossiers": dossiers, "form": form, "preview": preview, "preview_total": sum(n for _d, n in preview or [])},
    )
