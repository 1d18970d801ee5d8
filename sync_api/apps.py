from django.apps import AppConfig


class SyncApiConfig(AppConfig):
    name = "sync_api"
    verbose_name = "Billsync"
