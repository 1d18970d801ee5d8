from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirmsConfig(AppConfig):
    name = "firms"
    # The models were written when this app was called `portal`: keeping the label keeps their tables,
    # migration history, content types and every other app's migrations that point at "portal.Firm" as they are.
    label = "portal"
    verbose_name = _("Firms")
