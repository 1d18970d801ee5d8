"""Locks that wait a bounded time and only inside a transaction (pretix's `lock_objects`).

Every connection runs with PostgreSQL's `lock_timeout` (settings: LOCK_TIMEOUT_SECONDS), so no row lock
(`select_for_update`) or advisory lock waits forever; a wait that runs out raises `LockTimeout`, which a
Celery task retries later and a page answers with "try again".
"""

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from .errors import ErrorCode, PortalError

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout runs out


class LockTimeout(PortalError):
    def __init__(self) -> None:
        super().__init__(
            _("Someone else is changing this right now. Please try again in a moment."), code=ErrorCode.BUSY
        )


def is_lock_timeout(error: BaseException) -> bool:
    cause = error.__cause__ or error
    return (
        getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE or getattr(cause, "pgcode", None) == LOCK_NOT_AVAILABLE
    )


@contextmanager
def bounded_wait() -> Iterator[None]:
    """Turn a lock wait that ran out (inside this block) into `LockTimeout`."""
    try:
        yield
    except OperationalError as error:
        if is_lock_timeout(error):
            raise LockTimeout from error
        raise


def lock_keys(namespace: str, keys: Iterable[int]) -> None:
    """Hold advisory locks on (`namespace` of the current schema, key) for each of `keys` until the transaction
    ends, taken in one statement in ascending order (two transactions locking overlapping sets never deadlock).

    Refuses outside a transaction (the locks would be released at once); raises `LockTimeout` when another
    transaction holds one longer than the lock timeout."""
    if not connection.in_atomic_block:
        raise RuntimeError("an advisory lock is taken inside a transaction (transaction.atomic)")
    schema = getattr(connection, "schema_name", "public")  # django-tenants' connection
    space = zlib.crc32(f"{schema}:{namespace}".encode()) - 2**31
    ordered = sorted(set(keys))
    if not ordered:
        return
    with bounded_wait(), connection.cursor() as cursor:
        # unnest() yields the sorted array in its order, and each row's lock is taken as the row is produced.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, key) FROM unnest(%s::int[]) AS key", [space, ordered])
