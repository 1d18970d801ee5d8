"""A dossier that moves to another firm takes its bank accounts and statements along."""

from django.db import connection
from django_tenants.utils import schema_context

from banking.models import BankAccount, CodaStatement, Movement
from banking.moving import move_banking
from banking.services import ingest_coda
from dossiers.linking import DATA_MOVERS
from dossiers.models import Dossier

from .factories import IBAN, chain


def test_statements_move_with_the_dossier(firm_a, firm_b):
    assert DATA_MOVERS["banking"] is move_banking
    old = Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0202239951")
    files = chain(3)
    for data in files:
        ingest_coda(old, data, "x.cod")
    with schema_context(firm_b.schema_name):
        new = Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0202239951")
        ingest_coda(new, files[0], "x.cod")  # the new firm already had the first statement
    moved = move_banking(firm_a.schema_name, old.pk, firm_b.schema_name, new.pk)
    assert moved == 2
    with schema_context(firm_b.schema_name):
        account = BankAccount.objects.get(iban=IBAN)
        assert account.dossier_id == new.pk
        assert sorted(account.statements.values_list("number", flat=True)) == [1, 2, 3]
        assert Movement.objects.filter(statement__account=account).count() == 3
        statement = CodaStatement.objects.get(account=account, number=2)
        with statement.file.open("rb") as stored:
            assert stored.read() == files[1]
    connection.set_tenant(firm_a)
