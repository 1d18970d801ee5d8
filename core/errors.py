"""The domain error: a refusal a user can act on, with a stable code (what tests and programs check) and a
message already translated for the person who caused it (what people read)."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why something was refused. Codes are stable; messages may be reworded and translated."""

    INVALID = "invalid"  # a value that does not fit (the message and field say which)
    NOT_FOUND = "not_found"  # no such thing, or not one this person may see
    FORBIDDEN = "forbidden"  # exists, but this person may not do that
    TAKEN = "taken"  # a name, host or number another firm or dossier already uses
    RESERVED = "reserved"  # a name the platform keeps for itself
    EXPIRED = "expired"  # a link, invitation or ticket that is used, revoked or too old
    ALREADY_MEMBER = "already_member"
    ACCOUNT_EXISTS = "account_exists"
    CONFLICT = "conflict"  # the state changed meanwhile (a race, a document that was finalised)
    LOCKED = "locked"  # exported and locked, or otherwise no longer changeable
    NOT_ALLOWED_IN_STATE = "not_allowed_in_state"  # the thing's state does not permit this action
    DUPLICATE = "duplicate"
    UNREADABLE = "unreadable"  # a file that cannot be read as what it claims to be
    TOO_LARGE = "too_large"
    RULES_FAILED = "rules_failed"  # a document that fails the EN 16931 / Peppol rules
    INCOMPLETE = "incomplete"  # something required is missing before this can happen
    BUSY = "busy"  # someone else holds the lock; try again


class PortalError(Exception):
    """A refusal with a message meant for the user (already translated), optionally tied to a form field."""

    def __init__(self, message: str, field: str | None = None, code: ErrorCode = ErrorCode.INVALID):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
