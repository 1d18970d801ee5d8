"""Which firm a request or a piece of work belongs to: the tenant of the host, unless it is the public site."""

from django.db import connection

from .models import Firm


def client_firm(tenant: Firm | None) -> Firm | None:
    """The firm, or None for the public site and for no tenant at all."""
    return None if tenant is None or tenant.is_public else tenant


def request_firm(request) -> Firm | None:
    """The firm whose host the request came in on; None on the public site."""
    return client_firm(getattr(request, "tenant", None))


def current_firm() -> Firm | None:
    """The firm whose schema the database connection is set to (tasks, signals, services)."""
    return client_firm(getattr(connection, "tenant", None))


def current_schema() -> str:
    """The schema the database connection is set to (`public` or a firm's)."""
    return str(getattr(connection, "schema_name", "public"))
