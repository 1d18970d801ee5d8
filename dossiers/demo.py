"""Demo dossiers for `make run`: a handful of client businesses with contacts and products, one of them
with an active entrepreneur account. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from firms.models import DirectoryEntry, DossierAccess, Firm, User

from .models import Contact, Dossier, DossierStatus, Product

DEMO_ENTREPRENEUR_EMAIL = "an@bakkerij-peeters.example"
DOSSIERS = [
    # enterprise number, name, legal form, street, postal code, city, email, language
    ("0202239951", "Bakkerij Peeters", "BV", "Kerkstraat 12", "9000", "Gent", DEMO_ENTREPRENEUR_EMAIL, "nl"),
    ("0417497106", "Garage Claes", "BV", "Rue de Namur 4", "4000", "Liège", "info@garage-claes.example", "fr"),
    ("0406798006", "Slagerij Maes", "VOF", "Markt 3", "3500", "Hasselt", "jan@slagerij-maes.example", "nl"),
    ("0876543270", "Frituur Lambrecht", "Eenmanszaak", "Zeedijk 101", "8400", "Oostende", "", "nl"),
]


def seed_dossiers(firm: Firm, password: str) -> None:
    with schema_context(firm.schema_name):
        for number, name, form, street, postal, city, email, language in DOSSIERS:
            dossier, _created = Dossier.objects.get_or_create(
                enterprise_number=number,
                defaults={
                    "name": name,
                    "legal_form": form,
                    "street": street,
                    "postal_code": postal,
                    "city": city,
                    "email": email,
                    "language": language,
                },
            )
            DirectoryEntry.objects.get_or_create(
                firm=firm, dossier_id=dossier.pk, defaults={"enterprise_number": number}
            )
        bakery = Dossier.objects.get(enterprise_number="0202239951")
        for kind, reference, name, vat, city in [
            ("customer", "K001", "Hotel Du Parc NV", "BE0403170701", "Gent"),
            ("customer", "K002", "Brasserie De Zwaan", "BE0417497106", "Brugge"),
            ("supplier", "L001", "Molens Dedobbeleer", "BE0406798006", "Halle"),
        ]:
            Contact.objects.get_or_create(
                dossier=bakery,
                kind=kind,
                reference=reference,
                defaults={"name": name, "vat_number": vat, "enterprise_number": vat[2:], "city": city},
            )
        for reference, name, unit, price, rate in [
            ("P001", "Brood wit 800 g", "C62", "2.8500", "6"),
            ("P002", "Taart 8 personen", "C62", "24.5000", "6"),
            ("P003", "Catering per uur", "HUR", "45.0000", "21"),
        ]:
            Product.objects.get_or_create(
                dossier=bakery,
                reference=reference,
                defaults={"name": name, "unit": unit, "unit_price": Decimal(price), "vat_rate": rate},
            )
        user = User.objects.filter(email=DEMO_ENTREPRENEUR_EMAIL).first()
        if user is None:
            user = User.objects.create_user(DEMO_ENTREPRENEUR_EMAIL, password, full_name="An Peeters")
        DossierAccess.objects.get_or_create(user=user, firm=firm, dossier_id=bakery.pk)
        if bakery.activated_at is None:
            now = timezone.now()
            Dossier.objects.filter(pk=bakery.pk).update(
                status=DossierStatus.TRIAL,
                invited_at=now,
                activated_at=now,
                trial_ends_at=now + timedelta(weeks=4),
                last_activity_at=now,
            )
