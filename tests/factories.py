"""Factories: dossiers and stored final documents made directly (finalising real ones is tested in
tests/documents; elsewhere only what is stored matters)."""

import hashlib
import itertools
from datetime import date
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from documents.models import Direction, Document, DocumentStatus
from dossiers.models import Dossier
from exports.models import ExportSettings

_numbers = itertools.count(1)


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Klant {n} BV")
    enterprise_number = factory.Sequence(lambda n: f"{n + 1000000:08d}{97 - (n + 1000000) % 97:02d}")
    city = "Gent"

    @factory.post_generation
    def bob_reference(obj, create, extracted, **kwargs):
        """Export settings with a Sage BOB reference (`D<id>` unless given): without one nothing is exported.
        `bob_reference=""` makes a dossier without a reference, `False` one without settings."""
        if not create or extracted is False:
            return
        reference = f"D{obj.pk}" if extracted is None else extracted
        ExportSettings.objects.update_or_create(dossier=obj, defaults={"bob_reference": reference})


def stored_file(content: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(content).hexdigest()
    name = f"{connection.schema_name}/documents/test/{digest}.xml"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return name, digest


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    dossier = factory.SubFactory(DossierFactory)
    direction = Direction.PURCHASE
    number = factory.LazyFunction(lambda: f"INV-{next(_numbers):05d}")
    issue_date = date(2026, 10, 15)
    counterparty_name = "Leverancier NV"
    tax_exclusive = Decimal("100.00")
    tax_total = Decimal("21.00")
    payable = Decimal("121.00")
    status = DocumentStatus.FINAL
    is_valid = True

    @factory.post_generation
    def stored(obj, create, extracted, **kwargs):
        name, digest = stored_file(f"<Invoice>{obj.number}-{obj.pk}</Invoice>".encode())
        obj.ubl, obj.ubl_sha256, obj.ubl_size = name, digest, default_storage.size(name)
        if create:
            obj.save(update_fields=["ubl", "ubl_sha256", "ubl_size"])
