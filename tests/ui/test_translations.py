"""Every page type rendered in Dutch and French uses only msgids our catalogues (or Django's) translate."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from firms.models import User
from firms.services import firm_host

from .conftest import OWNER, UI_SLUG, UiFirm
from .pages import ENTREPRENEUR, PUBLIC, STAFF, address

CHECKED = ("nl", "fr")


@pytest.fixture
def untranslated(monkeypatch):
    """The msgids looked up during the test that have no translation in the active nl/fr catalogue (its fallback,
    the default language, does not count)."""
    missing: set[str] = set()
    # Django's {% get_available_languages %} passes the already translated language names through gettext again.
    names = set()
    for lang in CHECKED:
        with translation.override(lang):
            names |= {str(name) for _, name in settings.LANGUAGES}
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def checked_gettext(self, message):
        if self.language() in CHECKED and message not in self._catalog and message not in names:
            missing.add(f"{self.language()}: {message!r}")
        return gettext(self, message)

    def checked_ngettext(self, singular, plural, n):
        if self.language() in CHECKED and (singular, 0) not in self._catalog:
            missing.add(f"{self.language()}: {singular!r} / {plural!r}")
        return ngettext(self, singular, plural, n)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", checked_gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", checked_ngettext)
    yield missing
    connection.set_schema_to_public()  # the firm host's requests left the connection in the firm's schema


@pytest.mark.parametrize("language", CHECKED)
def test_every_page_is_fully_translated(ui_data, untranslated, language, db):
    from dossiers.demo import DEMO_ENTREPRENEUR_EMAIL

    firm, ids = ui_data
    host = firm_host(UI_SLUG)
    ui = UiFirm(firm, "", "", *ids, DEMO_ENTREPRENEUR_EMAIL)
    visitors = (
        (None, PUBLIC),
        (User.objects.get(email=OWNER), STAFF),
        (User.objects.get(email=DEMO_ENTREPRENEUR_EMAIL), ENTREPRENEUR),
    )
    statuses = {}
    for user, pages in visitors:
        client = Client(HTTP_HOST=host)
        client.cookies["portal_language"] = language
        if user:
            client.force_login(user)
        for name, template in pages.items():
            url = address(template, ui)
            client.defaults["HTTP_HOST"] = "localhost" if "{public}" in template else host
            statuses[name] = client.get(url, follow=True).status_code
        client.defaults["HTTP_HOST"] = host
        statuses[f"404 ({user})"] = client.get("/no-such-page/").status_code
    assert {name: code for name, code in statuses.items() if code not in (200, 404)} == {}
    assert sorted(untranslated) == [], sorted(untranslated)
