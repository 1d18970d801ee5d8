"""Entrepreneurs reach their own dossier only; the dossiers list costs the same queries at any size."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.models import Dossier
from firms.models import DossierAccess, User

from ..conftest import PASSWORD


def entrepreneur_of(firm, dossier, email="an@peeters.example"):
    user = User.objects.create_user(email, PASSWORD, full_name="An")
    DossierAccess.objects.create(user=user, firm=firm, dossier_id=dossier.pk)
    client = Client(HTTP_HOST="firm-a.localhost")
    client.force_login(user)
    return client


def test_entrepreneur_cannot_reach_another_dossier_or_firm_pages(firm_a):
    own = Dossier.objects.create(name="Eigen", enterprise_number="0403170701")
    other = Dossier.objects.create(name="Ander", enterprise_number="0202239951")
    client = entrepreneur_of(firm_a, own)
    assert client.get(f"/my/{own.pk}/").status_code == 200
    assert client.get(f"/my/{other.pk}/").status_code == 404
    assert client.get(f"/dossiers/{other.pk}/").status_code == 404
    for path in ("/dossiers/", "/dashboard/", "/settings/profile/", "/settings/team/", "/dossiers/export.xlsx"):
        assert client.get(path).status_code == 403, path
    assert client.get("/").url == "/my/"


def test_entrepreneur_of_firm_a_is_anonymous_on_firm_b(firm_a, firm_b):
    own = Dossier.objects.create(name="Eigen", enterprise_number="0403170701")
    client = entrepreneur_of(firm_a, own)
    response = client.get(f"/my/{own.pk}/", HTTP_HOST="firm-b.localhost")
    assert response.status_code == 302


def test_dossier_list_query_count_does_not_grow(logged_in_a, owner_a):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert logged_in_a.get("/dossiers/?sort=-activity").status_code == 200
        return len(queries)

    Dossier.objects.bulk_create(
        [Dossier(name=f"D{i}", enterprise_number=f"{i:010d}", assigned_to=owner_a) for i in range(5)]
    )
    few = count()
    Dossier.objects.bulk_create(
        [Dossier(name=f"E{i}", enterprise_number=f"{100 + i:010d}", assigned_to=owner_a) for i in range(300)]
    )
    assert count() == few


def test_duplicate_enterprise_number_refused_with_link(logged_in_a):
    existing = Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0403170701")
    response = logged_in_a.post(
        "/dossiers/add/", {"enterprise_number": "0403.170.701", "name": "Nog eens", "language": "nl", "country": "BE"}
    )
    assert response.status_code == 200
    assert f'href="/dossiers/{existing.pk}/"' in response.content.decode()
    assert Dossier.objects.count() == 1


def test_search_and_status_filter(logged_in_a):
    Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0403170701", status="invited")
    Dossier.objects.create(name="Garage Claes", enterprise_number="0202239951")
    names = lambda r: [d.name for d in r.context["page"]]  # noqa: E731
    assert names(logged_in_a.get("/dossiers/?q=peeters")) == ["Bakkerij Peeters"]
    assert names(logged_in_a.get("/dossiers/?q=0202.239")) == ["Garage Claes"]
    assert names(logged_in_a.get("/dossiers/?status=invited")) == ["Bakkerij Peeters"]


def test_open_as_entrepreneur_shows_banner_and_is_audited(logged_in_a):
    dossier = Dossier.objects.create(name="Bakkerij Peeters", enterprise_number="0403170701")
    assert logged_in_a.get(f"/my/{dossier.pk}/").status_code == 302  # not without opening it first
    response = logged_in_a.post(f"/dossiers/{dossier.pk}/open-as-entrepreneur/", follow=True)
    assert response.redirect_chain[-1][0] == f"/my/{dossier.pk}/"
    assert 'class="banner"' in response.content.decode()
    assert dossier.audit.filter(action="opened_as_entrepreneur").count() == 1
    back = logged_in_a.post("/dossiers/back-to-accountant/")
    assert back["Location"] == f"/dossiers/{dossier.pk}/"


def test_archived_dossier_leaves_the_list_and_its_entrepreneur_loses_access(logged_in_a, firm_a):
    dossier = Dossier.objects.create(
        name="Gestopt", enterprise_number="0403170701", status="active", activated_at=timezone.now()
    )
    client = entrepreneur_of(firm_a, dossier)
    assert client.get(f"/my/{dossier.pk}/").status_code == 200
    logged_in_a.post(f"/dossiers/{dossier.pk}/archive/", {"archived": "1"})
    assert [d.name for d in logged_in_a.get("/dossiers/").context["page"]] == []
    assert client.get(f"/my/{dossier.pk}/").status_code == 404
    logged_in_a.post(f"/dossiers/{dossier.pk}/archive/", {"archived": "0"})
    assert Dossier.objects.get(pk=dossier.pk).status == "active"
