from django.apps import AppConfig


class SyncApiConfig(AppConfig):
    name = "sync_api"
    verbose_name = "Billsync"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
