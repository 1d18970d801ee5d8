"""Billbank's CODA delivery. The real interface is not reachable from here: the class states it plainly."""

from django.utils.translation import gettext as _

from .base import BankProvider, ProviderNotConfigured


class BillbankProvider(BankProvider):
    name = "Billbank"

    def fetch_new_statements(self, account, since):
        raise ProviderNotConfigured(_("The Billbank connection is not configured on this installation."))
