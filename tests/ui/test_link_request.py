"""After a link request is sent, the dossier says it is pending (since when) and offers no second button."""

import pytest
from django.core import mail

from firms.models import LinkRequest

from ..dossiers.test_linking import client_business_at_firm_b, firm_a_asks

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")


def test_a_sent_link_request_shows_as_pending_without_a_second_button(logged_in_a, firm_a, firm_b):
    client_business_at_firm_b(firm_b)
    logged_in_a.cookies["portal_language"] = "nl"
    new = firm_a_asks(logged_in_a, firm_a)
    page = logged_in_a.get(f"/dossiers/{new.pk}/").content.decode()
    link = LinkRequest.objects.get()
    assert "Koppelingsverzoek in afwachting sinds" in page
    assert link.created_at.astimezone().strftime("%d/%m/%Y") in page
    assert f'action="/dossiers/{new.pk}/link-request/"' not in page
    assert len(mail.outbox) == 1


def test_before_a_request_the_dossier_offers_to_send_one(logged_in_a, firm_a, firm_b):
    from django.db import connection

    from dossiers.models import Dossier

    from ..dossiers.test_linking import NUMBER

    client_business_at_firm_b(firm_b)
    connection.set_tenant(firm_a)
    new = Dossier.objects.create(name="Maes", enterprise_number=NUMBER)
    page = logged_in_a.get(f"/dossiers/{new.pk}/").content.decode()
    assert f'action="/dossiers/{new.pk}/link-request/"' in page
