"""The firm's branding for every page on its hosts (the public host keeps the platform look)."""

from django.utils.translation import get_language

from firms.tenancy import request_firm

from .services import branding_for_firm, login_title


def branding(request):
    firm = request_firm(request)
    if firm is None:
        return {"branding": None}
    values = branding_for_firm(firm)
    return {"branding": {**values, "login_title": login_title(values.get("login_titles", {}), get_language())}}
