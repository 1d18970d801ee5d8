"""Every error of the Billsync API is JSON with a stable `code` (what agents act on) and a readable `message`."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.locking import LockTimeout, is_lock_timeout

from .error_codes import ApiErrorCode
from .services import SyncError

CODES: dict[type[exceptions.APIException], ApiErrorCode] = {
    exceptions.NotAuthenticated: ApiErrorCode.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: ApiErrorCode.INVALID_KEY,
    exceptions.PermissionDenied: ApiErrorCode.FORBIDDEN,
    exceptions.NotFound: ApiErrorCode.NOT_FOUND,
    exceptions.ParseError: ApiErrorCode.MALFORMED_REQUEST,
    exceptions.UnsupportedMediaType: ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
    exceptions.MethodNotAllowed: ApiErrorCode.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: ApiErrorCode.NOT_ACCEPTABLE,
    exceptions.Throttled: ApiErrorCode.THROTTLED,
    exceptions.ValidationError: ApiErrorCode.INVALID,
}


def _flatten(detail, field: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [
            line for key, value in detail.items() for line in _flatten(value, f"{field}.{key}" if field else str(key))
        ]
    if isinstance(detail, list):
        return [line for value in detail for line in _flatten(value, field)]
    return [f"{field}: {detail}" if field and field != "non_field_errors" else str(detail)]


def error_response(
    code: ApiErrorCode, message: str, status_code: int, headers: dict | None = None, **extra
) -> Response:
    return Response({"code": code, "message": message, **extra}, status=status_code, headers=headers)


def exception_handler(exc, context):
    """DRF's exception handler for the API: `{"code": ..., "message": ...}` (+ `fields` for invalid input)."""
    if isinstance(exc, SyncError):
        set_rollback()
        return error_response(exc.code, exc.message, exc.status)
    if isinstance(exc, LockTimeout) or (isinstance(exc, OperationalError) and is_lock_timeout(exc)):
        set_rollback()
        return error_response(ApiErrorCode.BUSY, "Busy; try again shortly.", 503, {"Retry-After": "5"})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 (and the error log)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    code = next((value for kind, value in CODES.items() if isinstance(exc, kind)), ApiErrorCode.ERROR)
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        message = "; ".join(_flatten(exc.detail))
        extra["fields"] = exc.detail if isinstance(exc.detail, dict) else {}
    else:
        message = str(exc.detail)
    set_rollback()
    return error_response(code, message, exc.status_code, headers, **extra)


def not_found(request, *args, **kwargs):
    """Unknown addresses under the API answer in the API's language too."""
    return JsonResponse(
        {"code": ApiErrorCode.NOT_FOUND, "message": "No such API endpoint."}, status=status.HTTP_404_NOT_FOUND
    )
