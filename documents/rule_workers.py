"""What a worker process of the bulk import runs: Django set up once, then the Peppol rules per file. Imports
no models at module level (a spawned worker loads this module before Django is ready)."""

import os


def start() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def validate(data: bytes):
    """The findings for `data`, or the UblError that refuses it (returned, so it crosses back as a value)."""
    from .ubl_read import UblError
    from .validation import validate as run_rules

    try:
        return run_rules(data)
    except UblError as error:
        return error
