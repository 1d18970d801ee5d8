"""Settings → Branding for the firm's owner, and the firm's branding images served on its hosts."""

import re

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.errors import PortalError
from firms.permissions import Permission, permission_required
from firms.tenancy import request_firm

from .colours import contrast_warnings, normalise_hex, readable_text
from .forms import BrandingForm
from .images import CONTENT_TYPES
from .models import Branding
from .services import (
    COLOUR_FIELDS,
    IMAGE_KINDS,
    LOGIN_TITLE_FIELDS,
    branding_for_firm,
    dns_target,
    save_branding,
    stored_image_name,
)


def _warning_texts(warnings: dict) -> dict[str, str]:
    texts = {}
    for name, (what, ratio) in warnings.items():
        if what == "links":
            texts[name] = _(
                "Links in this colour are hard to read on the white page (contrast %(ratio)s:1, "
                "at least 4.5:1 is advised)."
            ) % {"ratio": number_format(ratio, 1)}
        else:
            texts[name] = _(
                "Text on this colour is hard to read (contrast %(ratio)s:1, at least 4.5:1 is advised)."
            ) % {"ratio": number_format(ratio, 1)}
    return texts


@permission_required(Permission.MANAGE_FIRM)
def branding_settings(request):
    firm = request.tenant
    saved = Branding.objects.filter(firm=firm).first() or Branding(firm=firm)
    initial = {name: getattr(saved, name) for name in ("custom_host", *LOGIN_TITLE_FIELDS.values(), *COLOUR_FIELDS)}
    form = BrandingForm(request.POST or None, request.FILES or None, firm=firm, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            branding = save_branding(firm, form.to_input())
        except PortalError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The branding was saved."))
            warnings = contrast_warnings(branding.main_colour, branding.nav_colour, branding.button_colour)
            for text in _warning_texts(warnings).values():
                messages.warning(request, text)
            return redirect("branding_settings")
    # The preview and warnings show what is in the form (typed values on error), else what is saved.
    shown = {name: normalise_hex(form[name].value() or "") or getattr(saved, name) for name in COLOUR_FIELDS}
    current = branding_for_firm(firm)
    preview_style = "; ".join(
        f"--{name.removesuffix('_colour')}-colour: {shown[name]}; "
        f"--{name.removesuffix('_colour')}-text: {readable_text(shown[name])[0]}"
        for name in COLOUR_FIELDS
    )
    warnings = _warning_texts(contrast_warnings(shown["main_colour"], shown["nav_colour"], shown["button_colour"]))
    return render(
        request,
        "branding/settings.html",
        {
            "form": form,
            "saved": saved,
            "current": current,
            "preview_style": preview_style,
            "dns_target": dns_target(firm),
            "colour_rows": [(form[name], shown[name], warnings.get(name, "")) for name in COLOUR_FIELDS],
            "image_rows": [(form[kind], form[f"remove_{kind}"], current[f"{kind}_url"]) for kind in IMAGE_KINDS],
            # A browser cannot give a file field its file back: after a failed save, say which to choose again.
            "images_to_choose_again": [kind for kind in IMAGE_KINDS if kind in request.FILES],
        },
    )


def branding_file(request, file_name):
    """One of this host's firm's branding images. Names carry a content hash, so they may be cached for a year."""
    firm = request_firm(request)
    name = stored_image_name(firm, file_name) if firm is not None else None
    if name is None or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


HEX = re.compile(r"#[0-9a-f]{6}")


def theme(request):
    """The firm's colours as CSS custom properties: a stylesheet of the portal's own origin, so the Content-
    Security-Policy needs no inline style. The page links it with the colours in the query (cache busting)."""
    firm = request_firm(request)
    if firm is None:
        raise Http404
    values = branding_for_firm(firm)
    properties = []
    for name in ("main", "nav", "button"):
        for part in ("colour", "text"):
            value = str(values.get(f"{name}_{part}", "")).lower()
            if HEX.fullmatch(value):  # stored normalised; never anything else in a style sheet
                properties.append(f"--{name}-{part}: {value};")
    response = HttpResponse(":root { " + " ".join(properties) + " }\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable" if request.GET.get("v") else "no-cache"
    return response
