"""Odd input never crashes a page: every list filter and every form, fed odd strings (hypothesis), answers
below 500; NUL and control characters answer 400 with a message; deeply nested JSON to the API answers 400."""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.models import Dossier
from sync_api.services import create_sync_key

ODD = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "%00",
            "\u202egpj.exe",
            "\ufeff\u200b",
            "9" * 400,
            "1e309",
            "NaN",
            "-0",
            "'; DROP TABLE x; --",
            "<script>alert(1)</script>",
            "2026-02-30",
            "0000-00-00",
            "𝕏" * 30,
        ]
    ),
)
FILTERS = ("q", "status", "direction", "from", "until", "page", "sort", "kind", "period")


@pytest.fixture
def pages(firm_a):
    """Every list and form page of a firm's host, for one dossier."""
    dossier = Dossier.objects.create(name="Vreemd", enterprise_number="0403170701")
    d = dossier.pk
    lists = [
        "/dossiers/",
        f"/dossiers/{d}/documents/",
        f"/dossiers/{d}/customers/",
        f"/dossiers/{d}/suppliers/",
        f"/dossiers/{d}/products/",
        f"/dossiers/{d}/quick-entry/",
        f"/dossiers/{d}/bank/",
        f"/dossiers/{d}/export/",
        "/bank-accounts/",
        "/dashboard/",
    ]
    forms = [
        "/dossiers/add/",
        f"/dossiers/{d}/",
        f"/dossiers/{d}/customers/add/",
        f"/dossiers/{d}/products/add/",
        f"/dossiers/{d}/documents/new/",
        f"/dossiers/{d}/integrations/",
        f"/dossiers/{d}/export/",
        f"/dossiers/{d}/bank/",
        "/settings/profile/",
        "/settings/team/",
        "/settings/branding/",
        "/settings/integrations/",
        "/accounts/password-reset/",
    ]
    return lists, forms


def field_names(html: str) -> set[str]:
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html))
    return names - {"csrfmiddlewaretoken", "language", "next"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=ODD)
def test_every_list_filter_and_form_survives_odd_strings(logged_in_a, pages, value):
    lists, forms = pages
    for url in lists:
        response = logged_in_a.get(url, {name: value for name in FILTERS})
        assert response.status_code < 500, (url, value)
        if "\x00" in value:
            assert response.status_code == 400, url
    for url in forms:
        page = logged_in_a.get(url)
        if page.status_code != 200:
            continue
        data = {name: value for name in field_names(page.content.decode())}
        response = logged_in_a.post(url, data)
        assert response.status_code < 500, (url, value)
        if "\x00" in value and data:
            assert response.status_code == 400, url


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=ODD)
def test_public_forms_survive_odd_strings(public_client, value):
    for url in ("/signup/", "/accounts/login/", "/accounts/password-reset/"):
        data = {name: value for name in field_names(public_client.get(url).content.decode())}
        assert public_client.post(url, data).status_code < 500, (url, value)


@pytest.mark.parametrize(
    "url", ["/dossiers/?q=%00", "/dossiers/{d}/customers/?q=%00", "/dossiers/{d}/documents/?status=%00"]
)
def test_nul_in_a_query_answers_400_with_a_message(logged_in_a, url):
    dossier = Dossier.objects.create(name="Nul", enterprise_number="0403170701")
    response = logged_in_a.get(url.format(d=dossier.pk), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_deeply_nested_json_answers_400(firm_a):
    _key, raw = create_sync_key(firm_a, "odd")
    body = "[" * 100_000 + "]" * 100_000
    response = Client(HTTP_HOST="localhost").post(
        "/api/sync/v1/heartbeat", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"
