"""The Integrations tab (export settings), the Export tab (manual export and history for the accountant,
submitting for export for the entrepreneur), and exporting several dossiers from the dossiers list."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import PortalError
from dossiers.access import dossier_view
from dossiers.contact_views import SECTIONS
from dossiers.forms import DossierFilterForm
from dossiers.models import Dossier
from firms.permissions import Permission, permission_required
from firms.services import firm_url

from . import layout, services
from .bulk import preview_change, progress, start_change
from .defaults import save_defaults
from .forms import BulkChangeForm, ExportDefaultsForm, ExportSettingsForm, ManualExportForm, PeriodForm
from .layout import LayoutError
from .models import DEFAULTED_FIELDS, ExportBatch, ExportDefaults, ExportItem, ExportSettings, Submission


def _tab(dossier, tab, **context):
    return {"dossier": dossier, "sections": SECTIONS.values(), "tab": tab, **context}


@permission_required(Permission.WORK)
@dossier_view
def integrations(request, dossier):
    current = services.settings_for(dossier)
    defaults = layout.folders(current.bob_reference or "REF", {})
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
            origins=services.setting_origins(current),
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
            try:
                batch = services.export_manually(dossier, choice, request.user)
            except PortalError as error:
                messages.error(request, error.message)
                return redirect("export_integrations", dossier.pk)
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
            total = 0
            for dossier in dossiers:
                try:
                    batch = services.export_manually(dossier, choice, request.user)
                except PortalError as error:
                    messages.warning(request, error.message)
                    continue
                total += batch.item_count if batch else 0
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


@permission_required(Permission.MANAGE_FIRM)
def firm_defaults(request):
    """Settings → Integrations → defaults for new dossiers (owners): dossiers that follow a default change
    with it."""
    current = ExportDefaults.current()
    form = ExportDefaultsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        counts = save_defaults({name: form.cleaned_data[name] for name in form.Meta.fields}, request.user)
        changed = max(counts.values(), default=0)
        messages.success(
            request,
            ngettext(
                "The firm's defaults were saved; %(n)d dossier that follows them changed with them.",
                "The firm's defaults were saved; %(n)d dossiers that follow them changed with them.",
                changed,
            )
            % {"n": changed},
        )
        return redirect("export_defaults")
    own = dict((name, ExportSettings.objects.filter(own_fields__contains=[name]).count()) for name in DEFAULTED_FIELDS)
    return render(request, "exports/defaults.html", {"form": form, "own": own})


def _chosen_dossiers(request) -> tuple[list[int], str]:
    """The dossiers a bulk action is about: those ticked, or with `all_matching` every dossier the list's
    filter (carried in `filter`) matches. Returns their ids and the filter's query string."""
    query = request.POST.get("filter", "")
    if request.POST.get("all_matching") == "1":
        filters = DossierFilterForm(QueryDict(query))
        return list(filters.filter_qs(Dossier.objects.all()).values_list("pk", flat=True)), query
    ids = [int(value) for value in request.POST.getlist("dossier") if value.isdigit()]
    return list(Dossier.objects.filter(pk__in=ids).values_list("pk", flat=True)), query


@require_POST
@permission_required(Permission.WORK)
def bulk_change(request):
    """Change export settings of the selected dossiers (or all matching the filter): choose, preview, apply."""
    ids, query = _chosen_dossiers(request)
    if not ids:
        messages.error(request, _("Select one or more dossiers first."))
        return redirect(reverse("dossier_list") + (f"?{query}" if query else ""))
    action = request.POST.get("action", "")
    form = BulkChangeForm(request.POST if action else None)
    preview = None
    if form.is_bound and form.is_valid():
        change = form.change()
        try:
            if action == "apply":
                job = start_change(ids, change, request.user)
                if job:
                    return redirect("bulk_change_progress", job)
                messages.success(
                    request,
                    ngettext(
                        "The export settings of %(n)d dossier were changed.",
                        "The export settings of %(n)d dossiers were changed.",
                        len(ids),
                    )
                    % {"n": len(ids)},
                )
                return redirect(reverse("dossier_list") + (f"?{query}" if query else ""))
            preview = preview_change(ids, change)
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "exports/bulk_change.html",
        {
            "form": form,
            "ids": ids if request.POST.get("all_matching") != "1" else [],
            "all_matching": request.POST.get("all_matching") == "1",
            "filter": query,
            "count": len(ids),
            "preview": preview,
            "preview_rows": [
                (
                    form.fields[name].label,
                    preview.change.get(name, 0),
                    preview.keep_own.get(name, 0),
                    preview.same.get(name, 0),
                )
                for name in ("bob_reference", *DEFAULTED_FIELDS)
                if name in {**preview.change, **preview.keep_own, **preview.same}
            ]
            if preview
            else [],
        },
    )


@permission_required(Permission.WORK)
def bulk_change_progress(request, job):
    state = progress(job)
    if state is None:
        raise Http404
    return render(request, "exports/bulk_progress.html", {"state": state, "job": job})
