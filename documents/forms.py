from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .ubl_read import MAX_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xml,application/xml,text/xml"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class UploadDocumentsForm(forms.Form):
    files = MultipleFileField(label=_("UBL files (.xml)"))

    def clean_files(self):
        files = self.cleaned_data["files"]
        too_big = [f.name for f in files if f.size > MAX_BYTES]
        if too_big:  # refused before reading them into memory
            raise ValidationError(_("Larger than %(mb)s MB: %(names)s")
                                  % {"mb": MAX_BYTES // (1024 * 1024), "names": ", ".join(too_big)})
        return files
