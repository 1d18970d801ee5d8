"""The Billsync API's stable codes: what agents act on (messages are for people and may change). The agent keeps
the same list in `billsync/billsync/api_codes.py`; a test checks that the two agree."""

from enum import StrEnum


class ApiErrorCode(StrEnum):
    """`code` of an error answer (`{"code", "message"}`)."""

    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_KEY = "invalid_key"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    MALFORMED_REQUEST = "malformed_request"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    THROTTLED = "throttled"
    INVALID = "invalid"  # the request's fields: see `fields`
    LEASED = "leased"  # another attempt holds (or superseded) the item's lease
    NOT_PENDING = "not_pending"  # delivered or failed meanwhile: nothing to do
    FILE_MISSING = "file_missing"  # the stored bytes are gone: the accountant must queue it again
    SHA256_MISMATCH = "sha256_mismatch"  # an acknowledgement of other bytes than the item's
    BUSY = "busy"  # a lock was held too long by someone else: try again (503, Retry-After)
    ERROR = "error"  # anything else


class ItemOutcome(StrEnum):
    """What became of one item of a batch acknowledgement or lease."""

    DELIVERED = "delivered"
    ALREADY_DELIVERED = "already_delivered"
    IGNORED = "ignored"  # a superseded attempt's acknowledgement: changes nothing
    FAILED = "failed"
    SHA256_MISMATCH = ApiErrorCode.SHA256_MISMATCH.value
    NOT_FOUND = ApiErrorCode.NOT_FOUND.value
    LEASED = ApiErrorCode.LEASED.value
    NOT_PENDING = ApiErrorCode.NOT_PENDING.value
