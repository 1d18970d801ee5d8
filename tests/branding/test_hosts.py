"""The custom host: checked as a host name, stored as ASCII, one Domain row of the firm, reachable through
Django's host check only while it belongs to a firm."""

import pytest
from django.conf import settings
from django.http.request import validate_host
from django.test import Client

from branding.services import BrandingInput, clean_custom_host, save_branding, set_custom_host
from core.errors import PortalError
from firms.models import Domain

from .conftest import form_data


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("my.firm-a.be", "my.firm-a.be"),
        ("  My.Firm-A.BE. ", "my.firm-a.be"),
        ("bücher.be", "xn--bcher-kva.be"),
        ("klanten.bücher.be", "klanten.xn--bcher-kva.be"),
        ("", ""),
    ],
)
def test_it_accepts_host_names_and_stores_them_in_ascii(firm_a, raw, expected):
    assert clean_custom_host(raw, firm_a) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("https://my.firm-a.be", "without http://"),
        ("http://my.firm-a.be/", "without http://"),
        ("my.firm-a.be:8443", "without a port"),
        ("my.firm-a.be/portal", "without a path"),
        ("my_firm.be", "hyphens, not underscores"),
        ("-my.firm-a.be", "not a valid host name"),
        ("my..firm-a.be", "not a valid host name"),
        ("firm-a", "not a valid host name"),
        ("my firm.be", "not a valid host name"),
        ("192.168.1.10", "not an IP address"),
        ("www.firm-a.be", "does not start with www."),
        ("localhost", "belongs to the platform"),
        ("firm-b.localhost", "belongs to the platform"),
        ("deep.firm-a.localhost", "belongs to the platform"),
        ("127.0.0.1", "not an IP address"),
    ],
)
def test_it_refuses_what_is_not_a_host_of_the_firm_own(firm_a, raw, message):
    with pytest.raises(PortalError) as refused:
        clean_custom_host(raw, firm_a)
    assert message in refused.value.message
    assert refused.value.field == "custom_host"


def test_it_refuses_a_host_taken_by_another_firm(firm_a, firm_b):
    save_branding(firm_b, BrandingInput(custom_host="my.firm-b.be"))
    with pytest.raises(PortalError, match="already used by another portal"):
        clean_custom_host("MY.firm-b.be", firm_a)
    assert clean_custom_host("my.firm-b.be", firm_b) == "my.firm-b.be"  # its own host stays valid for firm B


def test_saved_host_becomes_a_secondary_host_and_the_page_says_which_dns_record(logged_in_a, firm_a):
    response = logged_in_a.post("/settings/branding/", form_data(custom_host="Portaal.Firm-A.be"), follow=True)
    assert response.status_code == 200
    domain = Domain.objects.get(domain="portaal.firm-a.be")
    assert domain.tenant_id == firm_a.pk and domain.is_primary is False
    assert Domain.objects.get(tenant=firm_a, is_primary=True).domain == "firm-a.localhost"
    page = response.content.decode()
    assert "CNAME" in page and "firm-a.localhost." in page


def test_changing_the_host_retires_the_old_one_and_clearing_removes_it(logged_in_a, firm_a):
    logged_in_a.post("/settings/branding/", form_data(custom_host="portaal.firm-a.be"))
    logged_in_a.post("/settings/branding/", form_data(custom_host="klanten.firm-a.be"))
    assert set(Domain.objects.filter(tenant=firm_a).values_list("domain", flat=True)) == {
        "firm-a.localhost",
        "klanten.firm-a.be",
    }
    assert Client(HTTP_HOST="portaal.firm-a.be").get("/accounts/login/").status_code == 404
    assert not validate_host("portaal.firm-a.be", settings.ALLOWED_HOSTS)
    logged_in_a.post("/settings/branding/", form_data(custom_host=""))
    assert list(Domain.objects.filter(tenant=firm_a).values_list("domain", flat=True)) == ["firm-a.localhost"]
    assert Client(HTTP_HOST="klanten.firm-a.be").get("/accounts/login/").status_code == 404


def test_a_refused_host_is_shown_with_the_typed_values_and_saves_nothing(logged_in_a, firm_a):
    response = logged_in_a.post(
        "/settings/branding/",
        form_data(custom_host="https://my.firm-a.be/x", main_colour="#123456", login_title="Hallo"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "without http://" in page
    assert 'value="https://my.firm-a.be/x"' in page and 'value="#123456"' in page and 'value="Hallo"' in page
    assert not Domain.objects.filter(tenant=firm_a, is_primary=False).exists()
    assert "#123456" not in Client(HTTP_HOST="firm-a.localhost").get("/accounts/login/").content.decode()


def test_error_messages_follow_the_language(logged_in_a):
    logged_in_a.cookies["portal_language"] = "fr"
    page = logged_in_a.post("/settings/branding/", form_data(custom_host="my_firm.be")).content.decode()
    assert "tirets" in page  # « Les noms d'hôte utilisent des tirets, pas des traits de soulignement. »


def test_unknown_hosts_are_refused_by_the_host_check(firms, db):
    for host in ("evil.example.com", "my.firm-a.be"):
        assert not validate_host(host, settings.ALLOWED_HOSTS)
        assert Client(HTTP_HOST=host).get("/accounts/login/").status_code == 404  # django-tenants' answer
    assert "*" not in settings.ALLOWED_HOSTS


def test_a_custom_host_passes_the_host_check_once_saved(firm_a):
    assert Client(HTTP_HOST="my.firm-a.be").get("/accounts/login/").status_code == 404
    set_custom_host(firm_a, "my.firm-a.be")
    assert validate_host("my.firm-a.be", settings.ALLOWED_HOSTS)
    assert Client(HTTP_HOST="my.firm-a.be").get("/accounts/login/").status_code == 200
