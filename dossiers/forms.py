"""Forms for dossiers: add/edit by hand, Excel upload, entrepreneur activation."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from core.filters import FilterForm
from core.identifiers import clean_enterprise_number, clean_iban, format_enterprise_number
from firms.models import Membership, User

from .contacts import clean_contact_vat
from .excel import MAX_FILE_BYTES
from .models import Contact, Dossier, DossierStatus, Product

SORTS = {
    "name": "name",
    "-name": "-name",
    "number": "enterprise_number",
    "-number": "-enterprise_number",
    "status": "status",
    "-status": "-status",
    "activity": "last_activity_at",
    "-activity": "-last_activity_at",
}


class DossierFilterForm(FilterForm):
    """The dossiers list: search (name, email, city, part of the enterprise number), status as shown (all but
    archived when none is chosen), assigned staff member (`none`: nobody) and sort order."""

    q = forms.CharField(label=_("search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("status"), required=False, choices=DossierStatus.choices)
    staff = forms.RegexField(label=_("staff member"), required=False, regex=r"^(none|\d{1,18})$")
    sort = forms.ChoiceField(label=_("sort"), required=False, choices=[(key, key) for key in SORTS])
    bob = forms.ChoiceField(
        label=_("Sage BOB reference"),
        required=False,
        choices=[("missing", _("Missing")), ("set", _("Set"))],
    )

    def filter_qs(self, dossiers):
        query = self.value("q")
        if query:
            digits = "".join(ch for ch in query if ch.isdigit())
            condition = Q(name__icontains=query) | Q(email__icontains=query) | Q(city__icontains=query)
            if len(digits) >= 3:
                condition |= Q(enterprise_number__contains=digits)
            dossiers = dossiers.filter(condition)
        status = self.value("status")
        dossiers = dossiers.shown_as(status, timezone.now()) if status else dossiers.not_archived()
        staff = self.value("staff")
        if staff == "none":
            dossiers = dossiers.filter(assigned_to__isnull=True)
        elif staff:
            dossiers = dossiers.filter(assigned_to_id=int(staff))
        bob = self.value("bob")
        if bob == "missing":
            dossiers = dossiers.without_bob_reference()
        elif bob == "set":
            dossiers = dossiers.filter(export_settings__bob_reference__gt="")
        return dossiers.order_by(SORTS[self.value("sort") or "name"], "pk")


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = [
            "enterprise_number",
            "name",
            "legal_form",
            "street",
            "postal_code",
            "city",
            "country",
            "email",
            "language",
            "assigned_to",
        ]

    def __init__(self, *args, firm, **kwargs):
        super().__init__(*args, **kwargs)
        staff_ids = Membership.objects.filter(firm=firm).values("user_id")
        self.fields["assigned_to"].queryset = User.objects.filter(pk__in=staff_ids).order_by("full_name")
        self.fields["enterprise_number"].validators = []
        self.fields["enterprise_number"].max_length = 20
        self.fields["enterprise_number"].widget.attrs.update(placeholder="0403.170.701", maxlength=20)
        if not self.is_bound and self.instance.pk:
            self.initial["enterprise_number"] = format_enterprise_number(self.instance.enterprise_number)

    def clean_enterprise_number(self):
        return clean_enterprise_number(self.cleaned_data["enterprise_number"])

    def clean_country(self):
        return (self.cleaned_data["country"] or "BE").strip().upper()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def _get_validation_exclusions(self):
        # The service refuses a duplicate enterprise number itself, with a link to the existing dossier.
        return super()._get_validation_exclusions() | {"enterprise_number"}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:  # refused before reading it into memory
            raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
        return upload


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "reference",
            "vat_number",
            "street",
            "postal_code",
            "city",
            "country",
            "email",
            "iban",
            "language",
        ]

    def __init__(self, *args, dossier, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.dossier = dossier
        self.instance.kind = kind
        for name in ("vat_number", "iban"):
            self.fields[name].validators = []
            self.fields[name].max_length = 40
            self.fields[name].widget.attrs["maxlength"] = 40

    def clean_vat_number(self):
        return clean_contact_vat(self.cleaned_data["vat_number"])

    def clean_iban(self):
        value = self.cleaned_data["iban"]
        return clean_iban(value) if value else ""

    def clean_country(self):
        return (self.cleaned_data["country"] or "BE").strip().upper()

    def save(self, commit=True):
        vat = self.instance.vat_number
        self.instance.enterprise_number = vat[2:] if vat.startswith("BE") else ""
        return super().save(commit)


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["reference", "name", "unit", "unit_price", "vat_rate"]
        field_classes = {"unit_price": AmountField}  # the portal's one rule for typed amounts (core.amounts)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.dossier = dossier
        self.fields["unit_price"].localize = True  # shown as 12,50 in Dutch and French
        self.fields["unit_price"].widget.is_localized = True

    def clean_unit(self):
        return self.cleaned_data["unit"].strip().upper()
