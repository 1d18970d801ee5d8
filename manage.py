#!/usr/bin/env python
"""Django's command-line utility for the portal."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as error:
        if os.environ.get("DATABASE_URL") or os.environ.get("PGHOST"):
            raise
        from devstack.stack import no_server_message

        sys.exit(f"{no_server_message()}\n({error})")
