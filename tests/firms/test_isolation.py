"""Isolation between firms: a user of firm A cannot log in on, or reach, firm B's host."""

from firms.models import Membership

from ..conftest import PASSWORD


def test_user_of_firm_a_cannot_log_in_on_firm_b(client_b, owner_a):
    response = client_b.post("/accounts/login/", {"username": owner_a.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["user"].is_anonymous
    assert response.context["form"].non_field_errors()


def test_owner_logs_in_on_own_host(client_a, owner_a):
    response = client_a.post("/accounts/login/", {"username": owner_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client_a.get("/dashboard/").status_code == 200


def test_unknown_host_answers_404(firms, db):
    from django.test import Client

    response = Client(HTTP_HOST="nobody.localhost").get("/")
    assert response.status_code == 404
    assert Client(HTTP_HOST="evil.example.com").get("/").status_code in (400, 404)


def test_session_replayed_with_spoofed_host_does_not_reach_other_firm(logged_in_a, firm_b):
    assert logged_in_a.get("/dashboard/").status_code == 200
    # Same session cookie, Host header of firm B.
    response = logged_in_a.get("/dashboard/", HTTP_HOST="firm-b.localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = logged_in_a.get("/settings/profile/", HTTP_HOST="firm-b.localhost")
    assert response.status_code == 302


def test_public_login_forwards_to_the_firm_host(public_client, owner_a):
    response = public_client.post("/accounts/login/", {"username": owner_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("http://firm-a.localhost/accounts/handoff/")


def test_public_login_offers_a_choice_with_two_firms(public_client, owner_a, firm_b):
    Membership.objects.create(user=owner_a, firm=firm_b, role="staff")
    response = public_client.post("/accounts/login/", {"username": owner_a.email, "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert "Firm A" in body and "Firm B" in body


def test_removed_staff_member_loses_access(client_a, firm_a, staff_a, owner_a):
    client_a.force_login(staff_a)
    assert client_a.get("/dashboard/").status_code == 200
    Membership.objects.filter(user=staff_a, firm=firm_a).delete()
    assert client_a.get("/dashboard/").status_code == 302
