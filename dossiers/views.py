"""Dossier pages: the accountant's list, add, detail, Excel import/export and invitations; the
entrepreneur's activation and home."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import throttle
from core.errors import PortalError
from core.mail import send_templated_mail
from core.redirects import next_url
from exports.services import dossier_export_status
from firms.forms import AcceptInvitationForm
from firms.models import Membership, User
from firms.permissions import Permission, permission_required
from firms.services import firm_url, issue_handoff, link_url
from firms.tenancy import request_firm

from . import entrepreneur_view, linking, services
from .access import dossier_view, dossiers_for
from .contact_views import SECTIONS
from .forms import DossierFilterForm, DossierForm
from .history import history
from .import_views import import_page, xlsx_response
from .models import Dossier, DossierStatus
from .sheets import dossier_columns, dossier_rows

PAGE_SIZE = 50


@permission_required(Permission.WORK)
def dossier_list(request):
    filters = DossierFilterForm(request.GET)
    for note in filters.left_out():
        messages.warning(request, note)
    dossiers = filters.filter_qs(Dossier.objects.select_related("assigned_to", "export_settings"))
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    members = Membership.objects.filter(firm=request.tenant).select_related("user").order_by("user__full_name")
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dossiers/list.html",
        {
            "page": page,
            "query": filters.value("q") or "",
            "status": filters.value("status") or "",
            "staff": filters.value("staff") or "",
            "sort": filters.value("sort") or "name",
            "bob": filters.value("bob") or "",
            "statuses": DossierStatus.choices,
            "members": members,
            "params": params.urlencode(),
        },
    )


@permission_required(Permission.WORK)
def dossier_add(request):
    form = DossierForm(request.POST or None, firm=request.tenant)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.create_dossier(request.tenant, form.cleaned_data, request.user)
        except services.DuplicateDossier as error:
            form.add_error("enterprise_number", error.message)
            existing = error.existing
        else:
            messages.success(request, _("The dossier %(name)s was added.") % {"name": dossier.name})
            if services.numbers_with_account_elsewhere(request.tenant, [dossier.enterprise_number]):
                messages.warning(request, _("This client already has an account on the platform with another firm."))
            return redirect("dossier_detail", dossier.pk)
    return render(request, "dossiers/add.html", {"form": form, "existing": existing})


@dossier_view
def dossier_detail(request, dossier):
    if request.membership is None:
        return redirect("entrepreneur_home")
    form = DossierForm(request.POST or None, instance=Dossier.objects.get(pk=dossier.pk), firm=request.tenant)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        values["assigned_to_id"] = values.pop("assigned_to").pk if values.get("assigned_to") else None
        other = Dossier.objects.filter(enterprise_number=values["enterprise_number"]).exclude(pk=dossier.pk).first()
        if other is not None:
            form.add_error("enterprise_number", services.DuplicateDossier(other).message)
        else:
            services.update_dossier(request.tenant, dossier, values, request.user)
            messages.success(request, _("The dossier was saved."))
            return redirect("dossier_detail", dossier.pk)
    lines = history(list(dossier.audit.select_related("actor")[:200]))[:30]
    elsewhere = bool(services.numbers_with_account_elsewhere(request.tenant, [dossier.enterprise_number]))
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "form": form,
            "history": lines,
            "elsewhere": elsewhere,
            "link_request": linking.waiting_request(request.tenant, dossier) if elsewhere else None,
            "sections": SECTIONS.values(),
            "export_status": dossier_export_status(dossier),
        },
    )


@require_POST
@permission_required(Permission.WORK)
@dossier_view
def dossier_archive(request, dossier):
    archived = request.POST.get("archived") == "1"
    services.set_archived(request.tenant, dossier, archived, request.user)
    messages.success(request, _("The dossier was archived.") if archived else _("The dossier is active again."))
    return redirect("dossier_detail", dossier.pk)


@require_POST
@permission_required(Permission.WORK)
@dossier_view
def dossier_link_request(request, dossier):
    """Ask the entrepreneur, who has an account with another firm, to move their dossier here."""
    try:
        link, users = linking.request_link(request.tenant, dossier, request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("dossier_detail", dossier.pk)
    url = link_url(link.from_firm, request, reverse("entrepreneur_home"))
    for user in users:
        send_templated_mail(
            user.email, "dossiers/email/link_request", {"firm": request.tenant, "url": url}, language=user.language
        )
    messages.success(request, _("The link request was sent. The entrepreneur decides at their next login."))
    return redirect("dossier_detail", dossier.pk)


@require_POST
def link_request_decide(request, link_id, decision):
    firm = request_firm(request)
    if firm is None or not request.user.is_authenticated or decision not in ("accept", "decline"):
        raise Http404
    try:
        link = linking.decide(link_id, request.user, firm, accept=decision == "accept")
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("entrepreneur_home")
    if decision == "decline":
        messages.success(request, _("You declined the request. Nothing changed."))
        return redirect("entrepreneur_home")
    # Messages stay on the host they were made on: the new firm's landing page says what happened, from the
    # request's id (it shows only to whoever accepted it, just now). The hand-off logs the entrepreneur in there.
    landing = f"{reverse('entrepreneur_home')}?{urlencode({'linked': link.pk})}"
    token = issue_handoff(request.user, link.to_firm)
    handoff = reverse("handoff", urlconf="config.urls_firm", args=[token])
    return HttpResponseRedirect(firm_url(link.to_firm, request, f"{handoff}?{urlencode({'next': landing})}"))


def _send_invitation(request, dossier) -> None:
    invitation, raw = services.create_invitation(dossier, request.user)
    link = link_url(request.tenant, request, reverse("activate", args=[raw]))
    send_templated_mail(
        invitation.email,
        "dossiers/email/invitation",
        {"firm": request.tenant, "dossier": dossier, "link": link, "expires_at": invitation.expires_at},
        language=dossier.language,
        base_url=link_url(request.tenant, request, ""),
    )


@require_POST
@permission_required(Permission.WORK)
def dossier_invite(request):
    """Send login details to the entrepreneurs of the selected dossiers (one or many)."""
    ids = [int(pk) for pk in request.POST.getlist("dossier") if pk.isdigit()]
    sent, refused = 0, []
    for dossier in Dossier.objects.filter(pk__in=ids):
        try:
            _send_invitation(request, dossier)
            sent += 1
        except PortalError as error:
            refused.append(error.message)
    if sent:
        messages.success(
            request,
            ngettext(
                "Login details were sent for %(count)s dossier.",
                "Login details were sent for %(count)s dossiers.",
                sent,
            )
            % {"count": sent},
        )
    for message in refused:
        messages.error(request, message)
    if not ids:
        messages.warning(request, _("Select at least one dossier."))
    return redirect(next_url(request, "dossier_list"))


@permission_required(Permission.WORK)
def dossier_export(request):
    """The dossiers as an .xlsx: the empty template (?template=1) or the current dossiers."""
    template = request.GET.get("template") == "1"
    name = "dossiers-template.xlsx" if template else f"dossiers-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(
        dossier_columns(), [] if template else dossier_rows(), title=_("Dossiers"), filename=name, example=template
    )


@permission_required(Permission.WORK)
def dossier_import(request):
    return import_page(
        request,
        services.DossierSpec(request.tenant),
        scope="dossiers",
        title=_("Import dossiers"),
        template_url=reverse("dossier_export") + "?template=1",
        done_url=reverse("dossier_list"),
        back_url=reverse("dossier_list"),
    )


def activate(request, token):
    """The entrepreneur's activation link: set a password, land in the dossier on the firm's host."""
    firm = request_firm(request)
    if firm is None:
        raise Http404
    if throttle.is_blocked("activation", request):
        return render(request, "dossiers/activate_invalid.html", {"message": throttle.INVALID_LINKS}, status=429)
    try:
        invitation = services.find_invitation(token)
    except PortalError as error:
        throttle.record("activation", request)
        return render(request, "dossiers/activate_invalid.html", {"message": error.message}, status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None, existing_user=existing, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.activate(
                firm,
                invitation,
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data.get("full_name", ""),
            )
        except PortalError as error:
            return render(request, "dossiers/activate_invalid.html", {"message": error.message}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("entrepreneur_dossier", invitation.dossier_id)
    return render(request, "dossiers/activate.html", {"form": form, "invitation": invitation, "existing": existing})


def entrepreneur_home(request):
    """The entrepreneur's start page on the firm's host: their own dossier(s) only."""
    firm = request_firm(request)
    if firm is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.membership is not None:
        return redirect("dashboard")
    linked = request.GET.get("linked", "")
    if linked.isdigit():
        link = linking.just_accepted(int(linked), request.user, firm)
        if link is not None:
            messages.success(
                request,
                _(
                    "You accepted the request of %(firm)s: your dossier moved here with all its documents, "
                    "customers, suppliers and products. %(old_firm)s no longer has access to it."
                )
                % {"firm": firm.name, "old_firm": link.from_firm.name},
            )
        return redirect("entrepreneur_home")  # without the flag, so a reload does not repeat the message
    dossiers = list(dossiers_for(request))
    link_requests = linking.pending_for(request.user, firm)
    if len(dossiers) == 1 and not link_requests:
        return redirect("entrepreneur_dossier", dossiers[0].pk)
    return render(request, "dossiers/entrepreneur_home.html", {"dossiers": dossiers, "link_requests": link_requests})


@dossier_view
def entrepreneur_dossier(request, dossier):
    """The dossier as its entrepreneur sees it: what to do next, the trial, their accountant's contact. Staff see
    it only in the entrepreneur's view ("open as the entrepreneur")."""
    if request.membership is not None:
        return redirect("dossier_detail", dossier.pk)
    now = timezone.now()
    trial_days = None
    if dossier.access_status(now) == DossierStatus.TRIAL:
        trial_days = (timezone.localdate(dossier.trial_ends_at) - timezone.localdate(now)).days
    return render(
        request,
        "dossiers/entrepreneur_dossier.html",
        {
            "dossier": dossier,
            "sections": SECTIONS.values(),
            "trial_days": trial_days,
            "accountant": dossier.assigned_to if dossier.assigned_to_id else None,
        },
    )


@require_POST
@permission_required(Permission.WORK)
@dossier_view
def open_as_entrepreneur(request, dossier):
    """The accountant enters the entrepreneur's view of this dossier; every entry is in the history."""
    entrepreneur_view.enter(request, dossier)
    return redirect("entrepreneur_dossier", dossier.pk)


@require_POST
def close_entrepreneur_view(request):
    """Back to the accountant's view (the only firm page reachable from the entrepreneur's view)."""
    if getattr(request, "staff_membership", None) is None:
        raise Http404
    dossier_id = entrepreneur_view.leave(request)
    return redirect("dossier_detail", dossier_id) if dossier_id else redirect("dossier_list")
