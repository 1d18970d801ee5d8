"""Every stored file goes through the storage API: on local disk, and in a bucket of a real S3-compatible server
with nothing under MEDIA_ROOT; keys under the firm's schema, named by content; the agent gets every file."""

import hashlib
import re
import sys
from contextlib import contextmanager
from decimal import Decimal as D
from pathlib import Path

import httpx
import pytest
from django.core.files.storage import default_storage
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from banking.services import ingest_coda
from documents.quick_entry import add_to_inbox
from documents.sales import DraftLine, finalise, save_draft
from documents.services import import_purchase
from dossiers.models import Contact, Dossier
from exports.models import Kind
from exports.services import ManualChoice, export_manually, settings_for
from sync_api.services import create_sync_key
from tests.banking.factories import chain
from tests.sync_api.conftest import ApiClient, make_item

KEY = re.compile(r"^firm_firm_a/(documents|inbox|coda|branding)/[\w/-]*[0-9a-f]{20,64}\.\w+$")


@pytest.fixture
def seller(firm_a):
    return Dossier.objects.create(
        name="Bakkerij Peeters", enterprise_number="0202239951", street="Kerkstraat 12", city="Gent", language="nl"
    )


def final_invoice(seller):
    customer = Contact.objects.create(
        dossier=seller,
        kind="customer",
        name="Hotel Du Parc NV",
        vat_number="BE0403170701",
        enterprise_number="0403170701",
        city="Brussel",
    )
    draft = save_draft(seller, customer, [DraftLine("Brood", D("2"), D("2.85"), D("6"))], actor=None)
    return finalise(draft, None)


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def test_finalise_import_upload_and_coda_store_through_the_storage_api(file_storage, seller):
    document = final_invoice(seller)
    xml = read(document.ubl.name)
    assert hashlib.sha256(xml).hexdigest() == document.ubl_sha256
    assert hashlib.sha256(read(document.pdf.name)).hexdigest() == document.pdf_sha256

    buyer = Dossier.objects.create(name="Hotel Du Parc", enterprise_number="0403170701")
    imported = import_purchase(buyer, xml, "invoice.xml", None)
    assert imported.outcome == "imported" and read(imported.document.ubl.name) == xml

    scan = add_to_inbox(buyer, read(document.pdf.name), "scan.pdf", None)
    assert read(scan.file.name) == read(document.pdf.name)

    [coda] = chain(1)
    assert ingest_coda(buyer, coda, "day.cod").outcome == "stored"

    keys = file_storage.keys()
    assert len(keys) == 5 and all(KEY.match(key) for key in keys), keys  # per firm, named by their content
    if file_storage.on_bucket:
        assert file_storage.media_files() == []  # objects in the bucket, nothing on this machine's disk


def test_an_exported_file_is_delivered_from_the_storage(file_storage, seller, firm_a):
    document = final_invoice(seller)
    export_settings = settings_for(seller)
    export_settings.bob_reference = "PEETERS"
    export_settings.save()
    batch = export_manually(seller, ManualChoice(None, None, (Kind.SALES,)), None)
    [item] = batch.items.all()
    assert item.file == document.ubl.name
    api = ApiClient(create_sync_key(firm_a, "Server")[1], firm_a)
    response = api.get(f"/api/sync/v1/items/{item.pk}/content")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == item.sha256


def agent_client_class():
    """The agent's Client class from its own package (the repository's billsync/ folder would otherwise be
    imported as an empty namespace package from the repository root)."""
    namespace = sys.modules.get("billsync")
    if namespace is not None and getattr(namespace, "__file__", None) is None:
        del sys.modules["billsync"]
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "billsync"))
    from billsync.client import Api

    return Api


@contextmanager
def agent_in_process(raw_key: str):
    """The agent's own client; its requests to the portal go to this process's Django (on this connection, so
    they see the test's transaction, as Django's test client does), anything else (the bucket's pre-signed
    URL) over the network."""
    agent = agent_client_class()("http://localhost", raw_key, retries=0)
    agent.http.close()
    agent.http = httpx.Client(
        base_url="http://localhost/api/sync/v1/",
        headers={"Authorization": f"Bearer {raw_key}"},
        mounts={"http://localhost": httpx.WSGITransport(app=WSGIHandler())},
    )
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield agent
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        agent.close()


def test_a_large_file_is_redirected_to_a_short_lived_bucket_url_and_the_agent_follows(bucket_storage, settings, firm_a):
    settings.SYNC_REDIRECT_BYTES = 100 * 1024
    dossier = Dossier.objects.create(name="Groot", enterprise_number="0202239951")
    content = b"<Invoice>" + b"x" * (300 * 1024) + b"</Invoice>"
    item = make_item(dossier, content)
    raw_key = create_sync_key(firm_a, "Server")[1]

    response = ApiClient(raw_key, firm_a).get(f"/api/sync/v1/items/{item.pk}/content")
    assert response.status_code == 302 and response["ETag"] == f'"{item.sha256}"'
    location = response["Location"]
    assert location.startswith(bucket_storage.endpoint) and "X-Amz-Expires=60" in location
    assert f"/{bucket_storage.bucket}/firm_firm_a/" in location
    lease = response["X-Billsync-Lease"]

    with agent_in_process(raw_key) as agent:
        with agent.download(item.pk, lease) as (download, agent_lease):
            data = b"".join(download.iter_bytes())
        assert [step.status_code for step in download.history] == [302]
        assert "authorization" not in download.request.headers  # the key never goes to the bucket
        assert hashlib.sha256(data).hexdigest() == item.sha256 and agent_lease == lease
        assert agent.ack(item.pk, item.sha256, agent_lease) == "delivered"


def test_a_small_file_and_local_disk_stream_through_the_portal(file_storage, settings, firm_a):
    settings.SYNC_REDIRECT_BYTES = 1024 * 1024
    dossier = Dossier.objects.create(name="Klein", enterprise_number="0202239951")
    item = make_item(dossier, b"<Invoice>small</Invoice>")
    response = ApiClient(create_sync_key(firm_a, "Server")[1], firm_a).get(f"/api/sync/v1/items/{item.pk}/content")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"<Invoice>small</Invoice>"


def test_a_missing_object_answers_file_missing(bucket_storage, settings, firm_a):
    settings.SYNC_REDIRECT_BYTES = 1
    dossier = Dossier.objects.create(name="Weg", enterprise_number="0202239951")
    item = make_item(dossier, b"<Invoice>gone</Invoice>")
    default_storage.delete(item.file)
    response = ApiClient(create_sync_key(firm_a, "Server")[1], firm_a).get(f"/api/sync/v1/items/{item.pk}/content")
    assert response.status_code == 410 and response.json()["code"] == "file_missing"
