"""Every `next` in the project goes through core.redirects: foreign hosts, scheme-relative and other tricks
are refused everywhere; paths on the same host are followed."""

import pytest
from django.test import RequestFactory

from core.redirects import next_url

from ..conftest import PASSWORD

EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "http://firm-a.localhost.evil.example/",
    "/%2F%2Fevil.example",
]


@pytest.mark.parametrize("target", EVIL)
def test_the_helper_refuses_foreign_targets(target):
    request = RequestFactory().post("/x", {"next": target}, HTTP_HOST="firm-a.localhost")
    assert next_url(request, "/fallback/") in ("/fallback/", "/%2F%2Fevil.example")


def test_the_helper_follows_a_path_on_the_same_host():
    request = RequestFactory().get("/x", {"next": "/dossiers/?q=a"}, HTTP_HOST="firm-a.localhost")
    assert next_url(request, "/fallback/") == "/dossiers/?q=a"


def _is_local(location: str) -> bool:
    """A path on the same host (an encoded "%2F%2F" stays a path for every browser)."""
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", EVIL)
def test_inviting_from_the_dossier_list_refuses_foreign_targets(logged_in_a, target):
    response = logged_in_a.post("/dossiers/invite/", {"next": target})
    assert response.status_code == 302 and _is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_logging_in_refuses_foreign_targets(client_a, owner_a, target):
    response = client_a.post("/accounts/login/", {"username": owner_a.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302 and _is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_switching_language_refuses_foreign_targets(client_a, target):
    response = client_a.post("/i18n/setlang/", {"language": "fr", "next": target})
    assert response.status_code in (200, 302, 204)
    if response.status_code == 302:
        assert _is_local(response["Location"]), response["Location"]


def test_a_local_target_is_followed_after_login(client_a, owner_a):
    response = client_a.post(
        "/accounts/login/", {"username": owner_a.email, "password": PASSWORD, "next": "/settings/profile/"}
    )
    assert response["Location"] == "/settings/profile/"
