"""Reset links work only on the host that mailed them; plain-text mails and subjects are not HTML-escaped;
every page type carries a strict Content-Security-Policy."""

import re

import pytest
from django.core import mail
from django.test import Client

from core.mail import send_templated_mail
from dossiers.models import Dossier
from firms.models import Membership, User

# These tests read the outbox: mail is sent in this process, not queued for a worker.
pytestmark = pytest.mark.usefixtures("mail_in_process")


def reset_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", message.body).group(1)


def test_a_reset_link_from_firm_a_is_refused_on_firm_b(client_a, owner_a, firm_b):
    # The owner of firm A is also staff of firm B: the link must still only work where it was asked for.
    Membership.objects.create(user=owner_a, firm=firm_b, role=Membership.Role.STAFF)
    client_a.post("/accounts/password-reset/", {"email": owner_a.email})
    path = reset_path(mail.outbox[-1])

    on_b = Client(HTTP_HOST="firm-b.localhost").get(path, follow=True)
    assert on_b.context["validlink"] is False
    on_public = Client(HTTP_HOST="localhost").get(path, follow=True)
    assert on_public.context["validlink"] is False
    on_a = client_a.get(path, follow=True)
    assert on_a.context["validlink"] is True
    client_a.post(
        on_a.redirect_chain[-1][0], {"new_password1": "Nieuw-Wachtw00rd-A", "new_password2": "Nieuw-Wachtw00rd-A"}
    )
    assert User.objects.get(pk=owner_a.pk).check_password("Nieuw-Wachtw00rd-A")


def test_a_public_reset_link_is_refused_on_a_firm_host(public_client, owner_a):
    public_client.post("/accounts/password-reset/", {"email": owner_a.email})
    path = reset_path(mail.outbox[-1])
    assert Client(HTTP_HOST="firm-a.localhost").get(path, follow=True).context["validlink"] is False
    assert public_client.get(path, follow=True).context["validlink"] is True


def test_text_mails_and_subjects_are_not_html_escaped(firm_a, owner_a):
    firm_a.name = "Kantoor A & B <script>"
    dossier = Dossier.objects.create(name='Bakkerij "De Oven" & Zn', enterprise_number="0403170701")
    send_templated_mail(
        "klant@example.com",
        "dossiers/email/invitation",
        {"firm": firm_a, "dossier": dossier, "link": "https://x.example/a?b=1&c=2", "expires_at": None},
    )
    message = mail.outbox[-1]
    assert message.subject.startswith("Kantoor A & B <script>")
    assert "Kantoor A & B <script>" in message.body and 'Bakkerij "De Oven" & Zn' in message.body
    assert "https://x.example/a?b=1&c=2" in message.body
    for text in (message.subject, message.body):
        assert not re.search(r"&(amp|lt|gt|quot|#x?[0-9a-f]+);", text), text
    html = message.alternatives[0][0]
    assert "Kantoor A &amp; B &lt;script&gt;" in html  # the HTML part still escapes


def test_the_reset_mail_is_not_escaped(client_a, owner_a, firm_a):
    User.objects.filter(pk=owner_a.pk).update(full_name="Jan & <Piet>")
    client_a.post("/accounts/password-reset/", {"email": owner_a.email})
    assert "&amp;" not in mail.outbox[-1].body and "&amp;" not in mail.outbox[-1].subject


@pytest.mark.parametrize(
    "host,path",
    [
        ("localhost", "/"),
        ("localhost", "/signup/"),
        ("localhost", "/accounts/login/"),
        ("localhost", "/admin/login/"),
        ("firm-a.localhost", "/accounts/login/"),
        ("firm-a.localhost", "/dashboard/"),
        ("firm-a.localhost", "/dossiers/"),
        ("firm-a.localhost", "/settings/branding/"),
        ("firm-a.localhost", "/does-not-exist/"),
        ("localhost", "/api/sync/v1/items"),
    ],
)
def test_every_page_type_carries_a_strict_csp(firm_a, owner_a, host, path):
    client = Client(HTTP_HOST=host)
    if host != "localhost":
        client.force_login(owner_a)
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def test_the_firm_colours_come_as_a_stylesheet_of_the_firm(logged_in_a):
    page = logged_in_a.get("/dashboard/").content.decode()
    assert "<style" not in page and " style=" not in page and "<script>" not in page
    link = re.search(r'href="(/branding/theme\.css[^"]*)"', page).group(1)
    css = logged_in_a.get(link.replace("&amp;", "&"))
    assert css["Content-Type"].startswith("text/css") and "--main-colour" in css.content.decode()
