"""Upload fields shared by the apps: several files in one input, each refused before it is read into memory
when it is larger than the limit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files; `max_bytes` per file."""

    def __init__(self, *args, accept: str = "", max_bytes: int, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        self.max_bytes = max_bytes
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        too_big = [f.name for f in cleaned if f and f.size > self.max_bytes]
        if too_big:
            raise ValidationError(
                _("Larger than %(mb)s MB: %(names)s")
                % {"mb": self.max_bytes // (1024 * 1024), "names": ", ".join(too_big)}
            )
        return cleaned
