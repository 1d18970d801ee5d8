"""Forms of the public site and the firm's settings. Validation messages follow the active language."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import identifiers, throttle
from core.errors import PortalError

from .models import Firm, User
from .services import check_slug


class SignupForm(forms.Form):
    firm_name = forms.CharField(label=_("Firm name"), max_length=200)
    slug = forms.CharField(
        label=_("Web address"),
        max_length=40,
        help_text=_("Your portal's address: <web address>.%(domain)s"),
    )
    enterprise_number = forms.CharField(label=_("Enterprise number"), max_length=20)
    owner_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=True), strip=False)
    password_again = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(render_value=True), strip=False
    )

    def __init__(self, *args, portal_domain: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].help_text = self.fields["slug"].help_text % {"domain": portal_domain}

    def clean_slug(self):
        try:
            return check_slug(self.cleaned_data["slug"])
        except PortalError as error:
            raise ValidationError(error.message) from None

    def clean_enterprise_number(self):
        return identifiers.clean_enterprise_number(self.cleaned_data["enterprise_number"])

    def clean_email(self):
        # Whether the address has an account is never told here (firms.signup mails its owner instead).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            candidate = User(email=data.get("email", ""), full_name=data.get("owner_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class FirmProfileForm(forms.ModelForm):
    """The firm's company details. Numbers are stored compact and checked with their checksums."""

    class Meta:
        model = Firm
        fields = [
            "name",
            "legal_name",
            "enterprise_number",
            "vat_number",
            "street",
            "postal_code",
            "city",
            "country",
            "email",
            "phone",
            "iban",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_number"].required = True
        self.fields["legal_name"].required = True
        self.fields["enterprise_number"].widget.attrs["placeholder"] = "0403.170.701"
        self.fields["vat_number"].widget.attrs["placeholder"] = "BE0403170701"
        self.fields["iban"].widget.attrs["placeholder"] = "BE71 0961 2345 6769"
        # Show stored compact numbers in their usual written form.
        if not self.is_bound:
            self.initial["enterprise_number"] = identifiers.format_enterprise_number(self.instance.enterprise_number)
            self.initial["iban"] = identifiers.format_iban(self.instance.iban)
        for name in ("enterprise_number", "vat_number", "iban"):
            self.fields[name].max_length = 40
            self.fields[name].validators = []  # the clean_* methods check and compact these
            self.fields[name].widget.attrs["maxlength"] = 40

    def clean_enterprise_number(self):
        return identifiers.clean_enterprise_number(self.cleaned_data["enterprise_number"])

    def clean_vat_number(self):
        value = self.cleaned_data["vat_number"]
        return identifiers.clean_vat_number(value) if value else ""

    def clean_iban(self):
        value = self.cleaned_data["iban"]
        return identifiers.clean_iban(value) if value else ""

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()

    def clean(self):
        data = super().clean()
        vat, number = data.get("vat_number"), data.get("enterprise_number")
        if vat and number and vat[2:] != number:
            self.add_error(
                "vat_number", _("The VAT number must match the enterprise number (BE%(number)s).") % {"number": number}
            )
        return data


class InviteStaffForm(forms.Form):
    email = forms.EmailField(label=_("Email"))


class AcceptInvitationForm(forms.Form):
    """Accepting an invitation (staff) or activation link (entrepreneur): a new person chooses a name and
    password; someone who already has an account confirms with theirs."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Password (again)"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, existing_user: User | None = None, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_user = existing_user
        self.email = email
        if existing_user is not None:
            del self.fields["full_name"]
            del self.fields["password_again"]
            self.fields["password"].label = _("Your current password")

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if not password:
            return data
        if self.existing_user is not None:
            if not self.existing_user.check_password(password):
                self.add_error("password", _("This password is not correct."))
            return data
        if password != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
            return data
        try:
            password_validation.validate_password(password, User(email=self.email, full_name=data.get("full_name", "")))
        except ValidationError as error:
            self.add_error("password", error)
        return data


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with email and password; on a firm's host only that firm's people get in."""

    username = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True}))

    def __init__(self, request=None, *args, firm: Firm | None = None, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.firm = firm

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email and password:
            if self.request is not None and throttle.is_blocked("login", self.request):
                raise ValidationError(throttle.TOO_MANY_ATTEMPTS, code="throttled")
            self.user_cache = authenticate(self.request, username=email.strip().lower(), password=password)
            if self.user_cache is None:
                if self.request is not None:
                    throttle.record("login", self.request)
                raise self.get_invalid_login_error()
            if self.firm is not None:
                from .services import can_enter

                # The same message as a wrong password: the host does not reveal who has an account elsewhere.
                if not can_enter(self.user_cache, self.firm):
                    raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class FirmPasswordResetForm(PasswordResetForm):
    """On a firm's host, only that firm's people receive a reset link; elsewhere every active user does."""

    def __init__(self, *args, firm: Firm | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm

    def get_users(self, email):
        from .services import can_enter

        for user in User.objects.filter(email__iexact=email, is_active=True):
            if not user.has_usable_password():
                continue
            if self.firm is None or can_enter(user, self.firm):
                yield user

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """In its recipient's language, not the language of whoever asked; plain text, not HTML-escaped; sent by
        a worker after the request commits (core.mail.queue_mail)."""
        from core.mail import queue_mail, render_subject, render_text

        with translation.override(context["user"].language):
            subject = render_subject(subject_template_name, context)
            body = render_text(email_template_name, context)
        queue_mail({"to": [to_email], "subject": subject, "body": body, "from_email": from_email})
