"""The codes of the portal's Billsync API that the agent acts on, in one place (the portal keeps a matching enum;
a test on the portal's side checks that both list the same codes)."""

from enum import StrEnum


class ApiCode(StrEnum):
    """`code` of an error answer (`{"code", "message"}`), and the `error` of a refused file in a bundle."""

    NOT_AUTHENTICATED = "not_authenticated"  # no key sent
    INVALID_KEY = "invalid_key"  # unknown, malformed or revoked key
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"  # no such item (or endpoint)
    MALFORMED_REQUEST = "malformed_request"  # the body is not JSON
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    THROTTLED = "throttled"  # too many requests: retried after Retry-After
    INVALID = "invalid"  # a field's value is refused (`fields` says which)
    LEASED = "leased"  # another agent holds the item, or this lease was superseded
    NOT_PENDING = "not_pending"  # the item is no longer waiting (delivered or failed meanwhile)
    FILE_MISSING = "file_missing"  # the portal lost the stored bytes of the item
    SHA256_MISMATCH = "sha256_mismatch"  # an acknowledgement with another file's hash
    BUSY = "busy"  # a lock was held too long on the portal (503): retried after Retry-After
    ERROR = "error"  # anything else (also: an answer the agent could not read)


# Refusals of one item that mean "not for this agent now": the item is skipped, not retried or reported.
SKIPPED_CODES = frozenset({ApiCode.LEASED, ApiCode.NOT_PENDING, ApiCode.NOT_FOUND})


class AckStatus(StrEnum):
    """One acknowledgement's result in `POST items/ack`."""

    DELIVERED = "delivered"
    ALREADY_DELIVERED = "already_delivered"  # a repeat: harmless
    IGNORED = "ignored"  # a superseded attempt: the item is left as it is
    SHA256_MISMATCH = "sha256_mismatch"
    NOT_FOUND = "not_found"


class FailureStatus(StrEnum):
    """One failure report's result in `POST items/failures` (and `items/{id}/failure`)."""

    FAILED = "failed"
    IGNORED = "ignored"  # a superseded attempt, or the item is not waiting any more
    NOT_FOUND = "not_found"


class FailureCode(StrEnum):
    """Why the agent could not write a file: sent with the failure report, shown in the export history."""

    CONFLICT = "conflict"  # another file already has the name; it is never overwritten
    UNSAFE_PATH = "unsafe_path"  # absolute, `..`, reserved name, or leads outside the root folder
    PERMISSION_DENIED = "permission_denied"
    DISK_FULL = "disk_full"
    WRITE_ERROR = "write_error"
