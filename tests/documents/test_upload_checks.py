"""Uploads are stored at once and checked by a worker; hostile shapes are refused before the rules run; a
document keeps at most a bounded number of findings, paged on its page."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from documents import validation
from documents.models import Document, Finding, Upload, UploadFile
from documents.services import import_purchase
from documents.ubl_read import MAX_TEXT, UblError, parse
from dossiers.models import Dossier
from firms.models import User
from tests.conftest import host_of

from .big_invoice import big_invoice

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"


def attribute_bomb(count: int = 1_500_000) -> bytes:
    attributes = " ".join(f'a{i}="1"' for i in range(count))
    return f'<?xml version="1.0"?><Invoice xmlns="{INVOICE_NS}" {attributes}/>'.encode()


def test_the_attribute_bomb_is_refused_in_under_a_second():
    data = attribute_bomb()
    assert len(data) > 18_000_000
    started = time.monotonic()
    with pytest.raises(UblError, match="attribut"):
        parse(data)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "xml",
    [
        # Too many attributes on one element, each one harmless.
        f'<Invoice xmlns="{INVOICE_NS}" ' + " ".join(f'a{i}="1"' for i in range(17)) + "/>",
        # A text of a megabyte outside the embedded document.
        f'<Invoice xmlns="{INVOICE_NS}"><Note>{"x" * (MAX_TEXT + 1)}</Note></Invoice>',
        # A long attribute value.
        f'<Invoice xmlns="{INVOICE_NS}" a="{"x" * (MAX_TEXT + 1)}"/>',
    ],
)
def test_hostile_shapes_are_refused(xml):
    with pytest.raises(UblError):
        parse(xml.encode())


def test_a_large_legitimate_invoice_passes_the_shape_check():
    parse(big_invoice(45_000))


def test_the_attribute_bomb_uploaded_leaves_nothing_stored(
    logged_in_a, eager_tasks, django_capture_on_commit_callbacks
):
    dossier = Dossier.objects.create(name="Bom", enterprise_number="0403170701")
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_a.post(
            f"/dossiers/{dossier.pk}/documents/", {"files": [SimpleUploadedFile("bomb.xml", attribute_bomb())]}
        )
    assert response.status_code == 302
    file = UploadFile.objects.get(upload__dossier=dossier)
    assert file.outcome == "refused" and "attribut" in file.message.lower() and file.stored == ""
    assert Document.objects.count() == 0 and Finding.objects.count() == 0
    assert "bomb.xml" in logged_in_a.get(f"/dossiers/{dossier.pk}/documents/").content.decode()


def test_findings_are_capped_and_paged(logged_in_a, shared_dir):
    dossier = Dossier.objects.create(name="Veel", enterprise_number="0705969661")
    data = (shared_dir / "fixtures/ubl/letspeppol-0208-invoice.xml").read_bytes()
    many = [validation.Finding("PEPPOL", f"R{i}", "warning", f"problem {i}", f"/Invoice[{i}]") for i in range(5000)]
    many.append(validation.Finding("EN16931", "BR-CO-10", "fatal", "sum", "/Invoice"))
    document = import_purchase(dossier, data, "veel.xml", None, findings=many).document
    assert document.findings_total == 5001
    assert document.findings.count() == validation.MAX_STORED_FINDINGS
    assert document.findings.filter(flag="fatal").exists()  # the fatal one is kept, even last
    page = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{document.pk}/")
    html = page.content.decode()
    assert html.count("<code>/Invoice") == 50 and 'id="findings-cut"' in html and "5001" in html
    assert "page=2" in html
    second = logged_in_a.get(f"/dossiers/{dossier.pk}/documents/{document.pk}/?page=4").content.decode()
    assert second.count("<code>/Invoice") == 50


def test_an_upload_whose_task_was_lost_is_checked_by_the_periodic_resume(firm_a, shared_dir, eager_tasks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from documents.tasks import resume_uploads

    dossier = Dossier.objects.create(name="Verloren", enterprise_number="0705969661")
    data = (shared_dir / "fixtures/ubl/letspeppol-0208-invoice.xml").read_bytes()
    upload = Upload.objects.create(dossier=dossier, total=1, created_at=timezone.now() - timezone.timedelta(hours=1))
    stored = default_storage.save(f"uploads/test/{upload.pk}/0", ContentFile(data))
    UploadFile.objects.create(upload=upload, position=0, name="verloren.xml", stored=stored)
    recent = Upload.objects.create(dossier=dossier, total=0)  # still within its first minutes: left alone

    assert resume_uploads() == 1
    upload.refresh_from_db()
    assert upload.is_finished and upload.done == 1
    assert upload.files.get().outcome == "imported" and not default_storage.exists(stored)
    assert Document.objects.filter(dossier=dossier).count() == 1
    assert resume_uploads() == 0 and not Upload.objects.get(pk=recent.pk).is_finished


@pytest.fixture
def committed_dossier(firms, django_db_blocker):
    """A dossier of firm A, committed, so that a worker process sees it; removed afterwards."""
    with django_db_blocker.unblock():
        connection.set_tenant(firms[0])
        dossier = Dossier.objects.create(name="Groothandel", enterprise_number="0705969661")
        yield dossier
        connection.set_tenant(firms[0])
        Upload.objects.filter(dossier=dossier).delete()
        Document.objects.filter(dossier=dossier).delete()
        dossier.delete()
        connection.set_schema_to_public()


def test_a_large_invoice_returns_at_once_and_the_worker_checks_it(firms, committed_dossier, celery_worker):
    client = Client(HTTP_HOST=host_of(firms[0]))
    client.force_login(User.objects.get(email="owner-a@example.com"))
    url = f"/dossiers/{committed_dossier.pk}/documents/"
    data = big_invoice(45_000)
    assert len(data) > 20_000_000

    started = time.monotonic()
    response = client.post(url, {"files": [SimpleUploadedFile("groot.xml", data)]})
    assert response.status_code == 302 and time.monotonic() - started < 3

    status = client.get(f"{url}uploads/").content.decode()
    assert 'data-total="1"' in status and "data-pending" in status  # "checking…", 0 of 1 (or already done)
    deadline = time.monotonic() + 300
    while "data-pending" in status and time.monotonic() < deadline:
        assert celery_worker.poll() is None
        time.sleep(1)
        status = client.get(f"{url}uploads/").content.decode()
    assert 'data-done="1" data-total="1"' in status
    document = Document.objects.get(dossier=committed_dossier)
    assert document.is_valid and document.ubl_size == len(data)
    assert "groot.xml" in client.get(url).content.decode()
