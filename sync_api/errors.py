"""Every error of the Billsync API is JSON with a stable `code` (what agents act on) and a readable `message`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from .services import SyncError

CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "invalid_key",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.ParseError: "malformed_request",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "invalid",
}


def _flatten(detail, field: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [
            line for key, value in detail.items() for line in _flatten(value, f"{field}.{key}" if field else str(key))
        ]
    if isinstance(detail, list):
        return [line for value in detail for line in _flatten(value, field)]
    return [f"{field}: {detail}" if field and field != "non_field_errors" else str(detail)]


def error_response(code: str, message: str, status_code: int, headers: dict | None = None, **extra) -> Response:
    return Response({"code": code, "message": message, **extra}, status=status_code, headers=headers)


def exception_handler(exc, context):
    """DRF's exception handler for the API: `{"code": ..., "message": ...}` (+ `fields` for invalid input)."""
    if isinstance(exc, SyncError):
        set_rollback()
        return error_response(exc.code, exc.message, exc.status)
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
    code = next((value for kind, value in CODES.items() if isinstance(exc, kind)), "error")
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
    return JsonResponse({"code": "not_found", "message": "No such API endpoint."}, status=status.HTTP_404_NOT_FOUND)
