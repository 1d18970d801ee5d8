"""Forms of the Integrations and Export tabs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import layout
from .bulk import BulkChange
from .models import ExportDefaults, ExportSettings, Kind, Policy
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
            "bob_reference": _(
                "The dossier's folder under BOB50DATA, e.g. PEETERS: letters and digits, no spaces. "
                "Without it nothing of this dossier is exported."
            ),
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
        try:
            reference = layout.clean_bob_reference(self.cleaned_data.get("bob_reference", ""))
        except layout.LayoutError as error:
            raise forms.ValidationError(str(error)) from error
        others = ExportSettings.objects.filter(bob_reference__iexact=reference).exclude(dossier=self.instance.dossier)
        if reference and others.exists():
            raise forms.ValidationError(
                _("The reference %(reference)s is already the folder of %(name)s.")
                % {"reference": reference, "name": others.select_related("dossier").first().dossier.name}
            )
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


class ExportDefaultsForm(forms.ModelForm):
    """Settings → Integrations: the firm's defaults for its dossiers."""

    class Meta:
        model = ExportDefaults
        fields = [
            "policy",
            "needs_approval",
            "lock_after_export",
            "name_by_invoice_date",
            "export_uploaded_coda",
            "bob_reference_rule",
        ]
        widgets = {"policy": forms.RadioSelect, "bob_reference_rule": forms.RadioSelect}
        help_texts = {
            "bob_reference_rule": _(
                "Where a new dossier's Sage BOB reference comes from. A value in the dossier sheet always wins; "
                "a dossier without a reference exports nothing until one is set."
            ),
        }


KEEP = ("", _("Leave as it is"))
YES_NO = [KEEP, ("yes", _("Yes")), ("no", _("No"))]


class BulkChangeForm(forms.Form):
    """The dossiers list's "Change export settings": what to change (empty: leave as it is)."""

    policy = forms.ChoiceField(label=_("Export policy"), required=False, choices=[KEEP, *Policy.choices])
    needs_approval = forms.ChoiceField(
        label=_("Only after the entrepreneur's approval"), required=False, choices=YES_NO
    )
    lock_after_export = forms.ChoiceField(label=_("Lock documents after export"), required=False, choices=YES_NO)
    name_by_invoice_date = forms.ChoiceField(label=_("Name files by invoice date"), required=False, choices=YES_NO)
    export_uploaded_coda = forms.ChoiceField(
        label=_("Also export uploaded CODA statements"), required=False, choices=YES_NO
    )
    bob_reference_from_enterprise_number = forms.BooleanField(
        label=_("Sage BOB reference: the enterprise number"),
        required=False,
        help_text=_("For dossiers without a reference (with “also overwrite”, for all)."),
    )
    bob_reference = forms.CharField(
        label=_("Sage BOB reference"), required=False, max_length=40, help_text=_("One dossier only.")
    )
    overwrite_own = forms.BooleanField(
        label=_("Also change dossiers with their own setting"),
        required=False,
        help_text=_("Otherwise a dossier with its own setting (or reference) keeps it."),
    )

    def change(self) -> BulkChange:
        data = self.cleaned_data

        def yes_no(name):
            return {"yes": True, "no": False}.get(data.get(name) or "")

        return BulkChange(
            policy=data.get("policy") or None,
            needs_approval=yes_no("needs_approval"),
            lock_after_export=yes_no("lock_after_export"),
            name_by_invoice_date=yes_no("name_by_invoice_date"),
            export_uploaded_coda=yes_no("export_uploaded_coda"),
            bob_reference=(data.get("bob_reference") or "").strip() or None,
            bob_reference_from_enterprise_number=data.get("bob_reference_from_enterprise_number", False),
            overwrite_own=data.get("overwrite_own", False),
        )
