"""Billsync: the accounting firm's agent that delivers the portal's export files into Sage BOB's folders."""

__version__ = "0.2.0"
