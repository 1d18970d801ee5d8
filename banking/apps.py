from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "banking"
    verbose_name = _("Banking")

    def ready(self):
        from dossiers.linking import DATA_MOVERS

        from .moving import move_banking

        DATA_MOVERS["banking"] = move_banking
