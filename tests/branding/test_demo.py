"""The demo firm of `make run` comes branded, on its default and its custom host."""

from django.test import Client

from branding.demo import DEMO_COLOURS, DEMO_CUSTOM_HOST, seed_branding
from branding.models import Branding
from branding.services import forget_branding
from devstack.demo import DEMO_SLUG
from firms.models import Domain
from firms.services import NewFirm, create_firm

from ..conftest import PASSWORD
from .test_pages import with_theme


def test_demo_firm_is_branded_on_both_hosts(firms, db):
    # The firm as seed_demo creates it, without its (slow) dossiers and documents.
    firm, _owner = create_firm(
        NewFirm("Demo Boekhouding", DEMO_SLUG, "0403170701", "Els Demo", "demo@example.com", PASSWORD)
    )
    seed_branding(firm)
    try:
        assert Domain.objects.get(domain=DEMO_CUSTOM_HOST).tenant_id == firm.pk
        for host in ("demo.localhost", DEMO_CUSTOM_HOST):
            page = with_theme(Client(HTTP_HOST=host), "/accounts/login/")
            assert f"--main-colour: {DEMO_COLOURS['main_colour']};" in page
            assert "Welkom bij Demo Boekhouding" in page
            assert 'class="brand-logo"><img src="/branding/files/logo-' in page
        logo = Branding.objects.get(firm=firm).logo.rsplit("/", 1)[1]
        assert Client(HTTP_HOST=DEMO_CUSTOM_HOST).get(f"/branding/files/{logo}").status_code == 200
        seed_branding(firm)  # a second run changes nothing
        assert Branding.objects.get(firm=firm).logo.endswith(logo)
    finally:
        forget_branding(firm, DEMO_CUSTOM_HOST)
