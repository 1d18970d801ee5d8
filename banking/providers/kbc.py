"""KBC's CODA delivery. The real interface (KBC's CODA service for accountants) is not reachable from here:
the class states it plainly instead of pretending."""

from django.utils.translation import gettext as _

from .base import BankProvider, ProviderNotConfigured


class KbcProvider(BankProvider):
    name = "KBC"

    def fetch_new_statements(self, account, since):
        raise ProviderNotConfigured(_("The KBC connection is not configured on this installation."))
