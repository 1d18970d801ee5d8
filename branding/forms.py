"""The Branding settings form: checks every field (host, colours, images) before anything is saved."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import PortalError

from . import images
from .services import IMAGE_KINDS, BrandingInput, clean_colour, clean_custom_host

ACCEPT = {
    "logo": "image/png,image/jpeg,image/webp",
    "favicon": "image/png,image/jpeg,image/webp,image/x-icon,image/vnd.microsoft.icon,.ico",
    "login_image": "image/png,image/jpeg,image/webp",
}


class HexColourInput(forms.TextInput):
    def __init__(self):
        super().__init__(
            attrs={
                "size": 8,
                "maxlength": 7,
                "pattern": "#?[0-9a-fA-F]{6}",
                "data-colour-hex": "",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        )


class BrandingForm(forms.Form):
    custom_host = forms.CharField(
        label=_("Host URL"),
        required=False,
        max_length=300,
        help_text=_("The address your clients use, e.g. my.yourfirm.be (without http://)."),
        widget=forms.TextInput(attrs={"placeholder": "my.yourfirm.be", "spellcheck": "false", "autocomplete": "off"}),
    )
    main_colour = forms.CharField(label=_("Main colour"), max_length=7, widget=HexColourInput())
    nav_colour = forms.CharField(
        label=_("Navigation colour"), max_length=7, widget=HexColourInput(), help_text=_("Selected menu items.")
    )
    button_colour = forms.CharField(label=_("Button colour"), max_length=7, widget=HexColourInput())
    login_title = forms.CharField(
        label=_("Login title in Dutch"),
        required=False,
        max_length=100,
        help_text=_(
            "An empty title shows the first one filled in (Dutch, French, English); none at all: “Welcome” in "
            "the visitor's language."
        ),
    )
    login_title_fr = forms.CharField(label=_("Login title in French"), required=False, max_length=100)
    login_title_en = forms.CharField(label=_("Login title in English"), required=False, max_length=100)
    logo = forms.FileField(label=_("Logo"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    favicon = forms.FileField(label=_("Favicon"), required=False)
    remove_favicon = forms.BooleanField(label=_("Remove the favicon"), required=False)
    login_image = forms.FileField(label=_("Login image"), required=False)
    remove_login_image = forms.BooleanField(label=_("Remove the login image"), required=False)

    def __init__(self, *args, firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        for kind in IMAGE_KINDS:
            self.fields[kind].widget.attrs.update({"accept": ACCEPT[kind], "data-image-input": kind})
            self.fields[kind].help_text = _("%(types)s, at most 2 MB and %(width)s × %(height)s pixels.") % {
                "types": images.accepted_types(kind),
                "width": images.KINDS[kind].max_width,
                "height": images.KINDS[kind].max_height,
            }

    def clean_custom_host(self):
        try:
            return clean_custom_host(self.cleaned_data["custom_host"], self.firm)
        except PortalError as error:
            raise ValidationError(error.message) from None

    def _clean_colour(self, name):
        try:
            return clean_colour(self.cleaned_data[name], name)
        except PortalError as error:
            raise ValidationError(error.message) from None

    def clean_main_colour(self):
        return self._clean_colour("main_colour")

    def clean_nav_colour(self):
        return self._clean_colour("nav_colour")

    def clean_button_colour(self):
        return self._clean_colour("button_colour")

    def _clean_image(self, kind):
        upload = self.cleaned_data.get(kind)
        if not upload:
            return None
        if upload.size > images.MAX_BYTES:  # refused before reading it
            raise ValidationError(_("This file is larger than 2 MB. Please choose a smaller image."))
        try:
            return images.clean_image(upload.read(), upload.name, kind)
        except images.ImageRefused as error:
            raise ValidationError(error.message) from None

    def clean_logo(self):
        return self._clean_image("logo")

    def clean_favicon(self):
        return self._clean_image("favicon")

    def clean_login_image(self):
        return self._clean_image("login_image")

    def to_input(self) -> BrandingInput:
        data = self.cleaned_data
        return BrandingInput(
            custom_host=data["custom_host"],
            main_colour=data["main_colour"],
            nav_colour=data["nav_colour"],
            button_colour=data["button_colour"],
            login_title=data["login_title"],
            login_title_fr=data["login_title_fr"],
            login_title_en=data["login_title_en"],
            images={kind: data[kind] for kind in IMAGE_KINDS if data.get(kind)},
            remove=frozenset(kind for kind in IMAGE_KINDS if data.get(f"remove_{kind}")),
        )
