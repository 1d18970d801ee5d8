"""Locks wait a bounded time and only inside a transaction; an export run that cannot get its dossier's lock
gives up with LockTimeout (the Celery task retries it later) instead of waiting forever."""

import threading

import pytest
from django.db import connection, connections, transaction
from django_tenants.utils import schema_context

from core.errors import ErrorCode
from core.locking import LockTimeout, lock_keys


def test_an_advisory_lock_outside_a_transaction_is_refused(firms, django_db_blocker):
    with django_db_blocker.unblock(), schema_context(firms[0].schema_name):
        with pytest.raises(RuntimeError, match="inside a transaction"):
            lock_keys("export-run", [1])


def test_a_lock_held_elsewhere_runs_out_with_a_busy_code(firms, django_db_blocker):
    """Two real connections (no test transaction: advisory locks are not rows, nothing to clean up)."""
    schema = firms[0].schema_name
    held, release = threading.Event(), threading.Event()

    def hold():
        with django_db_blocker.unblock(), schema_context(schema), transaction.atomic():
            lock_keys("export-run", [4242])
            held.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        with django_db_blocker.unblock(), schema_context(schema):
            with pytest.raises(LockTimeout) as refused, transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = 200")
                lock_keys("export-run", [17, 4242, 9000])  # one of several held elsewhere: none is had
            lock_key_free = True
        assert refused.value.code == ErrorCode.BUSY and lock_key_free
    finally:
        release.set()
        holder.join()


def test_every_connection_has_a_lock_timeout(firm_a):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] not in ("0", "")
