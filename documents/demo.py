"""Demo documents for `make run`: a few finalised sales invoices of Bakkerij Peeters dated in a past month, and
the one addressed to another demo dossier (Garage Claes) imported there as its purchase invoice, so an export
run has sales and purchases to deliver. Idempotent: does nothing once the bakery has final sales documents."""

from datetime import date, timedelta
from decimal import Decimal as D

from django.utils import timezone
from django_tenants.utils import schema_context

from dossiers.models import Contact, Dossier
from firms.models import Firm

from .models import Direction, Document, DocumentStatus
from .sales import DraftLine, finalise, save_draft
from .services import import_purchase

BAKERY, GARAGE = "0202239951", "0417497106"


def last_month(today: date | None = None) -> date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def seed_documents(firm: Firm, month: date | None = None) -> list[Document]:
    """Final sales documents of the bakery in `month` (default: last month) and the purchase they make at the
    garage; returns what was created."""
    month = month or last_month()
    created: list[Document] = []
    with schema_context(firm.schema_name):
        bakery = Dossier.objects.filter(enterprise_number=BAKERY).first()
        garage = Dossier.objects.filter(enterprise_number=GARAGE).first()
        if (
            bakery is None
            or Document.objects.filter(dossier=bakery, direction=Direction.SALES)
            .exclude(status=DocumentStatus.DRAFT)
            .exists()
        ):
            return created
        hotel = Contact.objects.get(dossier=bakery, reference="K001")
        brasserie = Contact.objects.get(dossier=bakery, reference="K002")
        for day, customer, lines in [
            (
                3,
                hotel,
                [
                    DraftLine("Brood wit 800 g", D("40"), D("2.85"), D("6")),
                    DraftLine("Taart 8 personen", D("2"), D("24.50"), D("6")),
                ],
            ),
            (
                12,
                brasserie,
                [
                    DraftLine("Catering per uur", D("6"), D("45"), D("21")),
                    DraftLine("Brood wit 800 g", D("25"), D("2.85"), D("6")),
                ],
            ),
            (21, hotel, [DraftLine("Taart 8 personen", D("4"), D("24.50"), D("6"), discount_percent=D("5"))]),
        ]:
            draft = save_draft(
                bakery,
                customer,
                lines,
                actor=None,
                issue_date=month.replace(day=day),
                payment_iban="BE71096123456769",
                buyer_reference=customer.reference,
            )
            document = finalise(draft, None)
            created.append(document)
            if customer is brasserie and garage is not None:
                with document.ubl.open("rb") as stored:
                    result = import_purchase(garage, stored.read(), f"{document.number}.xml", None)
                if result.document is not None:
                    created.append(result.document)
    return created
