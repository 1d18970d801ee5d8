from django import forms
from django.utils.translation import gettext_lazy as _


class SyncKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Where the agent runs, e.g. “Server office Gent”.")
    )
