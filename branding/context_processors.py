"""The firm's branding for every page on its hosts (the public host keeps the platform look)."""

from firms.tenancy import request_firm

from .services import branding_for_firm


def branding(request):
    firm = request_firm(request)
    if firm is None:
        return {"branding": None}
    return {"branding": branding_for_firm(firm)}
