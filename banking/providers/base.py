"""The interface of a bank connection: one class per connection kind, asked for new CODA of one account."""

from datetime import date


class ProviderNotConfigured(Exception):
    """The connection cannot be used on this installation (no agreement, no credentials)."""


class BankProvider:
    """Fetches new statements of one account from a bank or aggregator. Returns complete CODA files; the caller
    ingests them, and the duplicate check makes fetching the same statement twice harmless."""

    name = ""

    def fetch_new_statements(self, account, since: date | None) -> list[bytes]:
        """CODA files with the statements dated after `since` (all available when None)."""
        raise NotImplementedError
