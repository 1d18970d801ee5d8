"""Mail goes out from a worker on the `mail` queue after the request commits: no web request waits on SMTP."""

import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from config.celery import app
from config.settings import work_queue
from dossiers.models import Dossier
from firms.models import User
from tests.conftest import host_of


def test_an_invitation_is_queued_after_commit_not_sent_in_the_request(
    logged_in_a, firm_a, eager_tasks, django_capture_on_commit_callbacks
):
    dossier = Dossier.objects.create(
        name="Bakkerij Peeters", enterprise_number="0403170701", email="an@peeters.example", language="fr"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        logged_in_a.post("/dossiers/invite/", {"dossier": [dossier.pk]})
    assert mail.outbox == []  # the request returned without sending
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (eagerly here, in a worker in production)
    assert [message.to for message in mail.outbox] == [["an@peeters.example"]]
    assert "Firm A" in mail.outbox[0].subject and mail.outbox[0].alternatives  # rendered with its HTML part


def test_password_reset_mail_is_queued_after_commit(public_client, owner_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = public_client.post("/accounts/password-reset/", {"email": owner_a.email})
    assert response.status_code == 302
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_refused_invitation_queues_nothing(logged_in_a, firm_a, django_capture_on_commit_callbacks):
    """No address: refused with a message, and no mail queued."""
    dossier = Dossier.objects.create(name="Zonder Adres", enterprise_number="0403170701")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        logged_in_a.post("/dossiers/invite/", {"dossier": [dossier.pk]})
    assert callbacks == [] and mail.outbox == []


def test_the_mail_task_is_on_the_mail_queue():
    assert app.amqp.router.route({}, "core.mail.send")["queue"].name == work_queue("mail")


@pytest.fixture
def committed_dossier(firms, django_db_blocker):
    with django_db_blocker.unblock():
        connection.set_tenant(firms[0])
        dossier = Dossier.objects.create(
            name="Drukkerij Janssens", enterprise_number="0403170701", email="jan@janssens.example", language="nl"
        )
        yield dossier
        connection.set_tenant(firms[0])
        Dossier.objects.filter(pk=dossier.pk).delete()
        connection.set_schema_to_public()


def test_the_worker_sends_the_invitation(firms, committed_dossier, celery_worker):
    client = Client(HTTP_HOST=host_of(firms[0]))
    client.force_login(User.objects.get(email="owner-a@example.com"))
    response = client.post("/dossiers/invite/", {"dossier": [committed_dossier.pk]})
    assert response.status_code == 302
    deadline = time.monotonic() + 60
    sent = ""
    while time.monotonic() < deadline and "jan@janssens.example" not in sent:
        assert celery_worker.poll() is None
        time.sleep(0.5)
        sent = "".join(path.read_text(errors="replace") for path in celery_worker.mail_dir.glob("*.log"))
    assert "To: jan@janssens.example" in sent and "Firm A" in sent
