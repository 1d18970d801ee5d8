"""Scheduled fetching of bank statements: beat starts one light task that fans out one task per firm (in its
schema, tenant-schemas-celery), which fans out one task per connected account. Repeating any of them is
harmless: the duplicate check recognises statements already received."""

import logging

from config.celery import app
from firms.fanout import for_each_firm

from .models import CODA_CONNECTIONS, BankAccount
from .providers import ProviderNotConfigured
from .services import fetch_statements

log = logging.getLogger(__name__)


@app.task(name="banking.tasks.fetch_all_firms")
def fetch_all_firms() -> int:
    """Start fetching for every firm, spread over a minute."""
    return for_each_firm(fetch_firm, spread_seconds=60)


@app.task(name="banking.tasks.fetch_firm")
def fetch_firm():
    """One task per account of this firm connected through KBC or Billbank."""
    for account_id in BankAccount.objects.filter(connection__in=CODA_CONNECTIONS).values_list("pk", flat=True):
        fetch_account.delay(account_id)


@app.task(name="banking.tasks.fetch_account")
def fetch_account(account_id: int):
    """Fetch and ingest new statements of one account."""
    account = BankAccount.objects.select_related("dossier").filter(pk=account_id).first()
    if account is None or not account.delivers_coda:
        return
    try:
        results = fetch_statements(account)
    except ProviderNotConfigured as error:
        log.warning("account %s: %s", account.pk, error)
        return
    stored = sum(result.stored for result in results)
    if stored:
        log.info("account %s: %s new statement(s)", account.pk, stored)
