"""Forms of the Bank tab: adding an account, changing its connection, uploading CODA files."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum.be import iban as stdnum_be_iban
from stdnum.exceptions import ValidationError as StdnumError

from core.identifiers import clean_iban
from core.uploads import MultipleFileField

from .models import BankAccount, Connection
from .services import MAX_BYTES

CURRENCIES = [("EUR", "EUR"), ("USD", "USD"), ("GBP", "GBP"), ("CHF", "CHF")]


def clean_bic(value: str) -> str:
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    try:
        return stdnum_bic.validate(value)
    except StdnumError:
        raise ValidationError(_("“%(value)s” is not a valid BIC (e.g. KREDBEBB).") % {"value": value}) from None


class ConnectionForm(forms.ModelForm):
    class Meta:
        model = BankAccount
        fields = ["connection", "bic", "bank_name"]
        help_texts = {
            "connection": _(
                "Only accounts connected through KBC or Billbank deliver CODA to the accountant's software."
            )
        }

    def clean_bic(self):
        return clean_bic(self.cleaned_data["bic"])


class BankAccountForm(forms.Form):
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="EUR")
    connection = forms.ChoiceField(
        label=_("Connection"),
        choices=Connection.choices,
        initial=Connection.UPLOAD,
        help_text=ConnectionForm.Meta.help_texts["connection"],
    )
    bic = forms.CharField(
        label=_("BIC"), max_length=11, required=False, help_text=_("Filled in from the IBAN for Belgian banks.")
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)

    def __init__(self, *args, may_connect: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_connect:  # an entrepreneur's account starts as uploaded by hand; the accountant connects it
            del self.fields["connection"]

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])

    def clean_bic(self):
        return clean_bic(self.cleaned_data["bic"])

    def clean(self):
        data = super().clean()
        iban = data.get("iban", "")
        if iban.startswith("BE") and not data.get("bic"):
            data["bic"] = stdnum_be_iban.to_bic(iban) or ""
        return data


class CodaUploadForm(forms.Form):
    # `files` is also BaseForm's attribute for the uploads; Django takes declared fields off the class.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("CODA files"), accept=".cod,.coda,.txt,.cod2,text/plain", max_bytes=MAX_BYTES
    )
