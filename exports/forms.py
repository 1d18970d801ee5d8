"""Forms of the Integrations and Export tabs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import layout
from .models import ExportSettings, Kind
from .services import ManualChoice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportSettingsForm(forms.ModelForm):
    class Meta:
        model = ExportSettings
        fields = [
            "policy",
            "needs_approval",
            "lock_after_export",
            "bob_reference",
            "purchases_folder",
            "sales_folder",
            "coda_folder",
            "name_by_invoice_date",
            "export_uploaded_coda",
        ]
        widgets = {"policy": forms.RadioSelect}
        help_texts = {
            "bob_reference": _("The dossier's folder under BOB50DATA, e.g. PEETERS."),
            "name_by_invoice_date": _("Otherwise files are named in the order they were created."),
            "export_uploaded_coda": _(
                "Statements of accounts connected through KBC or Billbank always go along; with this, statements "
                "uploaded by hand (any bank) do too."
            ),
        }

    def __init__(self, *args, folders: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ("purchases", "sales", "coda"):
            field = self.fields[f"{kind}_folder"]
            field.widget.attrs["placeholder"] = folders[kind]
            field.help_text = _("Empty: %(folder)s") % {"folder": folders[kind]}

    def _folder(self, name):
        try:
            return layout.clean_folder(self.cleaned_data.get(name, ""))
        except layout.LayoutError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_purchases_folder(self):
        return self._folder("purchases_folder")

    def clean_sales_folder(self):
        return self._folder("sales_folder")

    def clean_coda_folder(self):
        return self._folder("coda_folder")

    def clean_bob_reference(self):
        reference = self.cleaned_data.get("bob_reference", "").strip()
        if reference and layout.safe_name(reference, 60) != reference:
            raise forms.ValidationError(_("Use letters, digits, spaces and hyphens only."))
        return reference


class PeriodForm(forms.Form):
    period_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    period_until = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("period_from") and data.get("period_until") and data["period_from"] > data["period_until"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class ManualExportForm(PeriodForm):
    kinds = forms.MultipleChoiceField(
        label=_("What"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Kind.SALES, Kind.PURCHASES, Kind.CODA],
    )
    include_exported = forms.BooleanField(label=_("Include already exported"), required=False)

    def choice(self) -> ManualChoice:
        data = self.cleaned_data
        return ManualChoice(
            data.get("period_from"), data.get("period_until"), tuple(data["kinds"]), data.get("include_exported", False)
        )
