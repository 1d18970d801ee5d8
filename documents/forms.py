"""Forms of the Documents tab: purchase upload and the sales document editor."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from core.filters import FilterForm
from core.identifiers import clean_iban
from core.uploads import MultipleFileField
from dossiers.contacts import clean_contact_vat
from dossiers.models import LANGUAGES, Contact

from .models import Direction, Document, DocumentStatus
from .money import AllowanceCharge, is_structured_communication
from .quick_entry import MAX_BYTES as INBOX_MAX_BYTES
from .quick_entry import QuickEntry
from .sales import DraftLine
from .ubl_read import MAX_BYTES
from .units import UNITS


class DocumentFilterForm(FilterForm):
    """The Documents tab's filters: direction, status and a period of invoice dates (`from`, `until`)."""

    direction = forms.ChoiceField(label=_("direction"), required=False, choices=Direction.choices)
    status = forms.ChoiceField(label=_("status"), required=False, choices=DocumentStatus.choices)
    date_from = forms.DateField(label=_("from"), required=False, input_formats=["%Y-%m-%d"])
    date_until = forms.DateField(label=_("until"), required=False, input_formats=["%Y-%m-%d"])

    def filter_qs(self, documents):
        if self.value("direction"):
            documents = documents.filter(direction=self.value("direction"))
        if self.value("status"):
            documents = documents.filter(status=self.value("status"))
        if self.value("from"):
            documents = documents.filter(issue_date__gte=self.value("from"))
        if self.value("until"):
            documents = documents.filter(issue_date__lte=self.value("until"))
        return documents

    def counted(self, documents):
        """What the totals add up: drafts and held documents only when the filter asks for them."""
        return documents if self.value("status") in UNCOUNTED else documents.counted()


# The query string says `from` and `until` (`from` cannot be a field's attribute name).
DocumentFilterForm.base_fields = {
    {"date_from": "from", "date_until": "until"}.get(name, name): field
    for name, field in DocumentFilterForm.base_fields.items()
}
UNCOUNTED = (DocumentStatus.DRAFT, DocumentStatus.NEEDS_ATTENTION)


class UploadDocumentsForm(forms.Form):
    # `files` is also BaseForm's attribute for the uploads; Django takes declared fields off the class.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("UBL files (.xml)"),
        accept=".xml,application/xml,text/xml",
        max_bytes=MAX_BYTES,
        help_text=_("One or many at once, up to 500 files."),
    )


VAT_CHOICES = [("21", "21%"), ("12", "12%"), ("6", "6%"), ("0", "0%")]
EXEMPTIONS = [
    ("", _("None")),
    ("AE", _("Intra-EU reverse charge")),
    ("K", _("Intra-EU supply of goods")),
    ("G", _("Export outside the EU")),
    ("E", _("Exempt")),
    ("O", _("Not subject to VAT")),
]


class SalesHeaderForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "customer",
            "is_credit_note",
            "corrects",
            "issue_date",
            "due_date",
            "payment_iban",
            "payment_reference",
            "buyer_reference",
            "order_reference",
            "payment_terms",
            "note",
            "language",
        ]
        widgets = {
            "issue_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Contact.objects.filter(dossier=dossier, kind="customer")
        self.fields["customer"].required = True
        self.fields["corrects"].queryset = Document.objects.filter(
            dossier=dossier, direction="sales", is_credit_note=False
        ).exclude(status="draft")
        self.fields["customer"].label = _("Customer")
        # Empty: the customer's language, worked out again when the customer changes.
        customer = self.instance.customer if self.instance.customer_id else None
        chosen = "" if customer is None or self.instance.language == customer.language else self.instance.language
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"),
            required=False,
            choices=[("", _("The customer's language"))] + list(LANGUAGES),
            help_text=_("Of the PDF. The customer's language unless you choose another."),
        )
        self.initial["language"] = self.initial.get("language", chosen) if self.instance.pk is None else chosen
        self.fields["issue_date"].required = False
        for name in ("issue_date", "due_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_payment_reference(self):
        value = self.cleaned_data["payment_reference"].strip()
        if value and not is_structured_communication(value):
            raise ValidationError(
                _("“%(value)s” is not a valid structured communication (+++123/4567/89002+++).") % {"value": value}
            )
        return value

    def clean_payment_iban(self):
        value = self.cleaned_data["payment_iban"]
        return clean_iban(value) if value else ""

    def clean(self):
        data = super().clean()
        if data.get("is_credit_note") and not data.get("corrects"):
            self.add_error("corrects", _("A credit note refers to the invoice it corrects."))
        if not data.get("language") and data.get("customer") is not None:
            data["language"] = data["customer"].language
        return data


class SalesLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=1000)
    quantity = AmountField(label=_("Quantity"), max_digits=14, decimal_places=4)
    unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, initial="C62")
    unit_price = AmountField(label=_("Unit price"), max_digits=14, decimal_places=4, min_value=0)
    discount_percent = AmountField(
        label=_("Discount %"), max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    vat_rate = forms.ChoiceField(label=_("VAT rate"), choices=VAT_CHOICES, initial="21")
    exemption = forms.ChoiceField(label=_("VAT exemption"), choices=EXEMPTIONS, required=False)

    def draft_line(self) -> DraftLine:
        data = self.cleaned_data
        rate, category = _vat(data)
        return DraftLine(
            data["description"],
            data["quantity"],
            data["unit_price"],
            rate,
            category,
            data.get("discount_percent") or Decimal("0"),
            data["unit"].upper(),
        )


def _vat(data: dict) -> tuple[Decimal, str]:
    """The VAT rate and category chosen on a line or an allowance: an exemption, or standard / zero rate."""
    rate = Decimal(data["vat_rate"])
    return rate, data["exemption"] or ("S" if rate else "Z")


SalesLineFormSet = forms.formset_factory(SalesLineForm, extra=2, min_num=1, validate_min=True)


class AllowanceChargeForm(forms.Form):
    """A discount on the whole document, or a charge such as transport, in one VAT rate."""

    is_charge = forms.TypedChoiceField(
        label=_("Allowance or charge"),
        coerce=lambda value: value == "charge",
        choices=[("allowance", _("Allowance")), ("charge", _("Charge"))],
        initial="allowance",
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    amount = AmountField(label=_("Amount excl. VAT"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    vat_rate = forms.ChoiceField(label=_("VAT rate"), choices=VAT_CHOICES, initial="21")
    exemption = forms.ChoiceField(label=_("VAT exemption"), choices=EXEMPTIONS, required=False)

    def allowance_charge(self) -> AllowanceCharge:
        data = self.cleaned_data
        rate, category = _vat(data)
        return AllowanceCharge(data["amount"], data["is_charge"], data["reason"], category, rate)


AllowanceChargeFormSet = forms.formset_factory(AllowanceChargeForm, extra=1)


class InboxUploadForm(forms.Form):
    # `files` is also BaseForm's attribute for the uploads; Django takes declared fields off the class.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("PDF or image files"), accept="application/pdf,image/png,image/jpeg", max_bytes=INBOX_MAX_BYTES
    )


class QuickEntryForm(forms.Form):
    supplier_name = forms.CharField(label=_("Supplier"), max_length=200)
    supplier_vat = forms.CharField(label=_("Supplier's VAT number"), max_length=40)
    supplier_street = forms.CharField(label=_("Supplier's street and number"), max_length=200, required=False)
    supplier_postal_code = forms.CharField(label=_("Supplier's postal code"), max_length=10, required=False)
    supplier_city = forms.CharField(label=_("Supplier's city"), max_length=100, required=False)
    supplier_iban = forms.CharField(
        label=_("Supplier's IBAN"),
        max_length=40,
        required=False,
        help_text=_("To pay to; Peppol asks for it from Dutch suppliers."),
    )
    number = forms.CharField(label=_("Invoice number"), max_length=100)
    issue_date = forms.DateField(
        label=_("Invoice date"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    is_credit_note = forms.BooleanField(label=_("Credit note"), required=False)
    corrects = forms.CharField(label=_("Invoice it corrects (credit notes)"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rate, _label in VAT_CHOICES:
            self.fields[f"amount_{rate}"] = AmountField(
                label=_("Amount excl. VAT at %(rate)s%%") % {"rate": rate},
                max_digits=14,
                decimal_places=2,
                localize=True,
                required=False,
                min_value=0,
            )
            if rate != "0":
                self.fields[f"vat_{rate}"] = AmountField(
                    label=_("VAT at %(rate)s%%") % {"rate": rate},
                    max_digits=14,
                    decimal_places=2,
                    localize=True,
                    required=False,
                    min_value=0,
                    help_text=_("As on the invoice; empty: computed."),
                )

    def clean_supplier_vat(self):
        return clean_contact_vat(self.cleaned_data["supplier_vat"])

    def clean_supplier_iban(self):
        value = self.cleaned_data["supplier_iban"]
        return clean_iban(value) if value else ""

    def clean(self):
        data = super().clean()
        if not any(data.get(f"amount_{rate}") for rate, _label in VAT_CHOICES):
            raise ValidationError(_("Enter at least one amount."))
        return data

    def entry(self) -> QuickEntry:
        data = self.cleaned_data
        return QuickEntry(
            data["supplier_name"],
            data["supplier_vat"],
            data["number"],
            data["issue_date"],
            data["due_date"],
            {Decimal(rate): data.get(f"amount_{rate}") or Decimal("0") for rate, _label in VAT_CHOICES},
            data["is_credit_note"],
            {Decimal(rate): data[f"vat_{rate}"] for rate, _label in VAT_CHOICES if data.get(f"vat_{rate}") is not None},
            data["supplier_street"],
            data["supplier_postal_code"],
            data["supplier_city"],
            data["supplier_iban"],
            data["corrects"] if data["is_credit_note"] else "",
        )


class MoveDocumentForm(forms.Form):
    """The dossier a held received document goes to: proposals first (name or number of its buyer), then what the
    search finds."""

    dossier: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Move to dossier"), queryset=None, empty_label=None
    )

    def __init__(self, *args, document, search: str = "", **kwargs):
        from dossiers.models import Dossier

        from .buyers import proposed_dossiers

        super().__init__(*args, **kwargs)
        self.proposals = proposed_dossiers(document, search)
        field = cast("forms.ModelChoiceField[Any]", self.fields["dossier"])
        # Any other active dossier of the firm may be posted; the list shows the proposals.
        field.queryset = Dossier.objects.not_archived().exclude(pk=document.dossier_id)
        field.choices = [(d.pk, f"{d.name} ({d.enterprise_number})") for d in self.proposals]


class ExportAnywayForm(forms.Form):
    reason = forms.CharField(
        label=_("Why may it leave anyway?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the document and in the dossier's history, with your name and the time."),
    )
