"""Answers while PostgreSQL or Redis is down, and the probes a load balancer asks.

`HealthMiddleware` (first in MIDDLEWARE) answers /healthz (the process lives) and /readyz (database, cache and
broker answer) for any host, unauthenticated, with a status and nothing else. `server_error` (handler500 of
every URL conf) turns an unreachable database, cache or broker into a short 503 page in the visitor's
language with Retry-After, instead of a 500.
"""

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError, BrokerError)


def is_outage(error: BaseException | None) -> bool:
    """A server the portal needs cannot be reached (as opposed to a bug)."""
    while error is not None:
        if isinstance(error, OUTAGES) and not _is_query_error(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _is_query_error(error: BaseException) -> bool:
    # psycopg raises OperationalError for a few things that are not outages (a lock or statement timeout).
    cause = getattr(error, "__cause__", None)
    return type(cause).__name__ in {"LockNotAvailable", "QueryCanceled"}


def server_error(request, template_name="500.html"):
    """handler500: 503 with Retry-After for an outage, the plain 500 page otherwise. Touches neither the
    database nor the cache."""
    if not is_outage(sys.exc_info()[1]):
        return HttpResponseServerError(loader.get_template(template_name).render())
    language = translation.get_language_from_request(request) or settings.LANGUAGE_CODE
    with translation.override(language):
        body = loader.get_template("503.html").render({"LANGUAGE_CODE": language})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def ready() -> bool:
    """Database, cache and broker all answer."""
    from config.celery import app

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.set("readyz", "1", 10)
        if cache.get("readyz") != "1":
            return False
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except (DatabaseError, *OUTAGES, OSError) as error:
        logger.warning("Not ready: %s", error)
        return False
    return True


class HealthMiddleware:
    """/healthz and /readyz, before the tenant middleware (which needs the database) and any host check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return _status(True)
        if request.path == "/readyz":
            return _status(ready())
        return self.get_response(request)


def _status(ok: bool) -> HttpResponse:
    response = HttpResponse("ok\n" if ok else "unavailable\n", status=200 if ok else 503, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
