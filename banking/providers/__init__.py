"""Bank connections by kind. With BANK_FEEDS=demo (the default under DEBUG) every KBC or Billbank account gets
the demo provider, which writes realistic CODA day by day."""

from django.conf import settings

from ..models import Connection
from .base import BankProvider, ProviderNotConfigured
from .billbank import BillbankProvider
from .demo import DemoProvider
from .kbc import KbcProvider

PROVIDERS: dict[str, type[BankProvider]] = {
    Connection.KBC: KbcProvider,
    Connection.BILLBANK: BillbankProvider,
}

__all__ = ["PROVIDERS", "BankProvider", "ProviderNotConfigured", "provider_for"]


def provider_for(account) -> BankProvider | None:
    """The provider that fetches this account's statements; None for accounts uploaded by hand."""
    cls = PROVIDERS.get(account.connection)
    if cls is None:
        return None
    if settings.BANK_FEEDS == "demo":
        return DemoProvider()
    return cls()
