"""List filters as forms (pretix's `FilterForm`): a list page binds the query string to its filter form and asks
it for the filtered queryset. A value that does not fit is left out (the list shows everything it would
otherwise), with a note the page shows."""

from django import forms
from django.utils.translation import gettext as _


class FilterForm(forms.Form):
    def __init__(self, data):
        super().__init__(data=data)
        self.is_valid()  # fills cleaned_data with the fields that fit; the others are left out

    def value(self, name: str):
        return self.cleaned_data.get(name) or None

    def left_out(self) -> list[str]:
        """A note per value that was left out."""
        notes = []
        for name in self.errors:
            value = self.data.get(name, "")
            if isinstance(self.fields[name], forms.DateField):
                notes.append(_("“%(value)s” is not a date; that filter is left out.") % {"value": value})
            else:
                notes.append(
                    _("“%(value)s” does not fit the filter “%(filter)s”; that filter is left out.")
                    % {"value": value, "filter": self.fields[name].label or name}
                )
        return notes

    def filter_qs(self, queryset):
        raise NotImplementedError
