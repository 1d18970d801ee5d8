from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirmsConfig(AppConfig):
    name = "firms"
    # The models were written when this app was called `portal`: keeping the label keeps their tables,
    # migration history, content types and every other app's migrations that point at "portal.Firm" as they are.
    label = "portal"
    verbose_name = _("Firms")

    def ready(self):
        from django.db.migrations.recorder import MigrationRecorder

        from .migration_executor import has_migrations_table

        MigrationRecorder.has_table = has_migrations_table  # type: ignore[method-assign]
