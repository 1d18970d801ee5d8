"""A portal served from the test process in a thread, for Chromium and for the agent subprocess. Data the
tests write is committed (no `transactional_db`: its flush would empty the public schema's tables)."""

import threading
import time
from contextlib import contextmanager

from django.test.testcases import LiveServerThread


@contextmanager
def portal_thread(django_db_blocker, handler=lambda app: app):
    """Yield the port of a live portal on 127.0.0.1; `handler` wraps Django's WSGI app (e.g. static files)."""
    threads_before = threading.active_count()
    with django_db_blocker.unblock():
        server = LiveServerThread("127.0.0.1", handler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield server.port
        server.terminate()
    # Request threads serving keep-alive connections hold database connections until the client hangs up; let
    # them finish so the test database can be dropped.
    deadline = time.monotonic() + 10
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.05)
