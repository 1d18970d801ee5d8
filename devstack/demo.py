"""Demo data for `make run`: the public site, the demo firm `demo` with its owner, dossiers and branding (custom
host portal.demo-firm.localhost), and a platform operator.
Idempotent: a second run completes what is missing and changes nothing else."""

from banking.demo import seed_banking
from branding.demo import seed_branding
from documents.demo import seed_documents
from dossiers.demo import seed_dossiers
from exports.demo import seed_export_settings
from firms.models import Domain, Firm, Membership, User
from firms.services import NewFirm, create_firm, ensure_public_site, firm_host

DEMO_SLUG = "demo"
DEMO_OWNER_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-portal-2026"
OPERATOR_EMAIL = "admin@example.com"


def seed_demo() -> Firm:
    ensure_public_site()
    firm = Firm.objects.filter(slug=DEMO_SLUG).first()
    if firm is None:
        firm, _owner = create_firm(
            NewFirm(
                name="Demo Boekhouding",
                slug=DEMO_SLUG,
                enterprise_number="0403170701",
                owner_name="Els Demo",
                owner_email=DEMO_OWNER_EMAIL,
                owner_password=DEMO_PASSWORD,
            )
        )
        firm.legal_name = "Demo Boekhouding BV"
        firm.vat_number = "BE0403170701"
        firm.street = "Kunstlaan 1"
        firm.postal_code = "1000"
        firm.city = "Brussel"
        firm.email = "info@demo-boekhouding.example"
        firm.phone = "+32 2 123 45 67"
        firm.iban = "BE71096123456769"
        firm.save()
    Domain.objects.get_or_create(domain=firm_host(DEMO_SLUG), defaults={"tenant": firm, "is_primary": True})
    owner = User.objects.get(email=DEMO_OWNER_EMAIL)
    Membership.objects.get_or_create(user=owner, firm=firm, defaults={"role": Membership.Role.OWNER})
    if not User.objects.filter(email=OPERATOR_EMAIL).exists():
        User.objects.create_superuser(OPERATOR_EMAIL, DEMO_PASSWORD, full_name="Platform operator")
    seed_dossiers(firm, DEMO_PASSWORD)
    seed_branding(firm)
    seed_export_settings(firm)
    seed_documents(firm)  # before the bank: the demo bank's customers pay these invoices
    seed_banking(firm)
    return firm
