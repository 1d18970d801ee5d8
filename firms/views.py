"""Pages of the public site (landing, sign-up, login that forwards to the firm's host) and of a firm's
host (login, hand-off, dashboard, profile, team, joining as staff)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from core import throttle
from core.errors import PortalError
from core.mail import send_templated_mail
from core.redirects import is_safe_next, next_url

from .forms import (
    AcceptInvitationForm,
    EmailAuthenticationForm,
    FirmPasswordResetForm,
    FirmProfileForm,
    InviteStaffForm,
    SignupForm,
)
from .models import Firm, Membership, StaffInvitation, User
from .permissions import Permission, has_permission, permission_required
from .services import (
    NewFirm,
    accept_staff_invitation,
    find_staff_invitation,
    firm_url,
    firms_of,
    invite_staff,
    issue_handoff,
    link_netloc,
    link_url,
    redeem_handoff,
    remove_staff,
)
from .signup import confirm_signup, request_signup
from .tenancy import request_firm
from .tokens import password_reset_tokens


def _handoff_redirect(request, user: User, firm: Firm) -> HttpResponseRedirect:
    token = issue_handoff(user, firm)
    return HttpResponseRedirect(firm_url(firm, request, reverse("handoff", urlconf="config.urls_firm", args=[token])))


# --- public host -------------------------------------------------------------------------------------------


def landing(request):
    return render(request, "firms/landing.html")


def signup(request):
    """Valid sign-ups are all answered alike ("check your mailbox"): a new address gets the link that creates
    the firm, a known one a note to its owner (firms.signup)."""
    form = SignupForm(request.POST or None, portal_domain=settings.PORTAL_DOMAIN)
    if request.method == "POST" and form.is_valid():
        if throttle.is_blocked("signup", request):
            form.add_error(None, throttle.TOO_MANY_REQUESTS)
            return render(request, "firms/signup.html", {"form": form}, status=429)
        throttle.record("signup", request)
        data = form.cleaned_data
        request_signup(
            NewFirm(
                name=data["firm_name"],
                slug=data["slug"],
                enterprise_number=data["enterprise_number"],
                owner_name=data["owner_name"],
                owner_email=data["email"],
                owner_password=data["password"],
                owner_language=translation.get_language() or "nl",
            ),
            request.build_absolute_uri("/").rstrip("/"),
        )
        request.session["signup_email"] = data["email"]
        return redirect("signup_sent")
    return render(request, "firms/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "firms/signup_sent.html", {"email": request.session.get("signup_email", "")})


def signup_confirm(request, token):
    """The link of the confirmation mail: the firm is created and its owner lands logged in on its host."""
    if throttle.is_blocked("activation", request):
        return render(request, "firms/signup_invalid.html", {"message": throttle.INVALID_LINKS}, status=429)
    if request.method != "POST":  # mail scanners open links; creating the firm takes a click
        return render(request, "firms/signup_confirm.html")
    try:
        firm, owner = confirm_signup(token)
    except PortalError as error:
        throttle.record("activation", request)
        return render(request, "firms/signup_invalid.html", {"message": error.message}, status=410)
    return _handoff_redirect(request, owner, firm)


class PublicLoginView(auth_views.LoginView):
    """Log in on the public host, then continue on the firm's own host (one firm) or choose (several)."""

    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"

    def form_valid(self, form):
        user = form.get_user()
        firms = firms_of(user)
        if user.is_staff and not firms:
            login(self.request, user)
            return redirect("admin:index")
        if not firms:
            form.add_error(None, _("This account does not belong to any firm's portal yet."))
            return self.form_invalid(form)
        if len(firms) == 1:
            return _handoff_redirect(self.request, user, firms[0])
        login(self.request, user)
        return redirect("choose_firm")


def choose_firm(request):
    if not request.user.is_authenticated:
        return redirect("login")
    firms = firms_of(request.user)
    if request.method == "POST":
        firm = next((f for f in firms if str(f.pk) == request.POST.get("firm")), None)
        if firm is None:
            raise Http404
        return _handoff_redirect(request, request.user, firm)
    return render(request, "firms/choose_firm.html", {"firms": firms})


# --- both hosts --------------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    next_page = "home"  # the firm host's start page: the dashboard for staff, their dossiers for entrepreneurs

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "firm": request_firm(self.request)}

    def get_redirect_url(self):
        return next_url(self.request)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = FirmPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "firm": request_firm(self.request)}

    def form_valid(self, form):
        if throttle.is_blocked("password_reset", self.request):
            form.add_error(None, throttle.TOO_MANY_REQUESTS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        throttle.record("password_reset", self.request)
        return super().form_valid(form)

    def get_extra_email_context(self):
        firm = request_firm(self.request)
        if firm is None:
            return {"firm": None}
        return {"firm": firm, "domain": link_netloc(firm, self.request)}  # the firm's own host when it has one

    @property
    def extra_email_context(self):
        return self.get_extra_email_context()

    @property
    def token_generator(self):
        return password_reset_tokens(request_firm(self.request))


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Accepts only links mailed from this host (see firms.tokens.password_reset_tokens)."""

    @property
    def token_generator(self):
        return password_reset_tokens(request_firm(self.request))


@require_POST
def switch_language(request):
    """Django's set_language, and the choice is remembered on the user's account for their mails. `next`
    goes through the project's one check (core.redirects); an unsafe one is dropped (back to the referrer)."""
    if request.POST.get("next") and not is_safe_next(request, request.POST["next"]):
        request.POST = request.POST.copy()
        request.POST["next"] = "/"
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


# --- firm host ---------------------------------------------------------------------------------------------


def handoff(request, token):
    firm = request_firm(request)
    if firm is None:
        raise Http404
    try:
        user = redeem_handoff(token, firm)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    response = redirect(next_url(request, "home"))  # a hand-off may say where to land (a path on this host)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def home(request):
    """The firm host's start page: staff get the dashboard, entrepreneurs their dossier home."""
    if request_firm(request) is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect("login")
    if request.membership is not None:
        return redirect("dashboard")
    return redirect("entrepreneur_home")


@permission_required(Permission.WORK)
def dashboard(request):
    from dossiers.services import dashboard_summary
    from exports.dashboard import dossiers_needing_something

    from .first_steps import checklist

    # The first steps are the owner's to take (branding, team and profile are theirs to change).
    steps = checklist(request.tenant) if has_permission(request, Permission.MANAGE_FIRM) else None
    return render(
        request,
        "firms/dashboard.html",
        {
            "summary": dashboard_summary(),
            "needs": dossiers_needing_something(),
            "first_steps": steps,
            "first_steps_done": sum(step.done for step in steps or []),
        },
    )


@permission_required(Permission.WORK, to_change=Permission.MANAGE_FIRM)
def profile(request):
    firm = request.tenant
    form = FirmProfileForm(request.POST or None, instance=firm)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The company details were saved."))
            return redirect("profile")
        # A failed save must not leave half-changed values on the tenant object used by this request.
        firm.refresh_from_db()
    return render(request, "firms/profile.html", {"form": form})


@permission_required(Permission.WORK, to_change=Permission.MANAGE_FIRM)
def team(request):
    firm = request.tenant
    form = InviteStaffForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation, raw = invite_staff(firm, form.cleaned_data["email"], request.user)
            except PortalError as error:
                form.add_error("email", error.message)
            else:
                link = link_url(firm, request, reverse("join", args=[raw]))
                send_templated_mail(
                    invitation.email,
                    "firms/email/staff_invitation",
                    {"firm": firm, "link": link, "inviter": request.user},
                    language=translation.get_language(),
                    base_url=link_url(firm, request, ""),
                )
                messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
                return redirect("team")
    members = Membership.objects.filter(firm=firm).select_related("user").order_by("-role", "user__full_name")
    pending = StaffInvitation.objects.filter(firm=firm, accepted_at__isnull=True, revoked_at__isnull=True).order_by(
        "-created_at"
    )
    return render(request, "firms/team.html", {"form": form, "members": members, "pending": pending})


@require_POST
@permission_required(Permission.MANAGE_FIRM)
def team_remove(request, membership_id):
    try:
        remove_staff(request.tenant, membership_id, request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The team member was removed."))
    return redirect("team")


def join(request, token):
    """Accept a staff invitation on the firm's host."""
    firm = request_firm(request)
    if firm is None:
        raise Http404
    if throttle.is_blocked("activation", request):
        return render(request, "firms/join_invalid.html", {"message": throttle.INVALID_LINKS}, status=429)
    try:
        invitation = find_staff_invitation(token, firm)
    except PortalError as error:
        throttle.record("activation", request)
        return render(request, "firms/join_invalid.html", {"message": error.message}, status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None, existing_user=existing, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_staff_invitation(
                invitation,
                full_name=form.cleaned_data.get("full_name", ""),
                password=form.cleaned_data["password"],
                language=translation.get_language() or "nl",
            )
        except PortalError as error:
            return render(request, "firms/join_invalid.html", {"message": error.message}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(firm)s.") % {"firm": firm.name})
        return redirect("dashboard")
    return render(request, "firms/join.html", {"form": form, "invitation": invitation, "existing": existing})
