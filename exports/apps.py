from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self):
        from dossiers.linking import DATA_MOVERS

        from . import signals  # noqa: F401
        from .defaults import ensure_settings_after_move

        DATA_MOVERS["exports"] = ensure_settings_after_move
