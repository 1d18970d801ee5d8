"""The accountant portal: project settings, firms (tenants), users, sign-up, login and the dashboard."""

from .celery import app as celery_app

__all__ = ["celery_app"]
