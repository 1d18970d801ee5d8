"""The firm's branding for every page on its hosts (the public host keeps the platform look)."""

from .services import branding_for_firm


def branding(request):
    firm = getattr(request, "tenant", None)
    if firm is None or firm.is_public:
        return {"branding": None}
    return {"branding": branding_for_firm(firm)}
