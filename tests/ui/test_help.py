"""The help section: every topic in every language, search, and the "?" links from the pages they belong to."""

import pytest
from django.test import Client

from help import topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(firms):
    return Client(HTTP_HOST="localhost")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_every_topic_exists_in_every_language(language):
    for slug in topics.TOPICS:
        assert (topics.CONTENT / language / f"{slug}.md").is_file(), f"{language}/{slug}.md"
        page = topics.topic(slug, language)
        assert page.language == language and page.title and "<h1" in page.html


def test_topics_render_in_the_visitors_language(public):
    public.cookies["portal_language"] = "fr"
    page = public.get("/help/sage-bob/").content.decode()
    assert "Connecter Sage BOB" in page
    assert r"C:\BOB50DATA\PEETERS\Demat" in page
    assert "Overzicht inhoud elektr. documenten" in page


def test_search_finds_topics_whatever_the_accents_and_case(public):
    public.cookies["portal_language"] = "nl"
    page = public.get("/help/?q=GEEXPORTEERD firebird").content.decode()
    assert 'href="/help/firebird/"' in page
    assert [hit.topic.slug for hit in topics.search("cname", "nl")][0] == "custom-host"  # its title says CNAME


def test_a_search_without_results_says_what_to_do(public):
    public.cookies["portal_language"] = "nl"
    page = public.get("/help/?q=" + "<script>xyzzy</script>").content.decode()
    assert "Geen enkel helponderwerp bevat al deze woorden" in page
    assert "<script>xyzzy" not in page


def test_an_unknown_topic_is_not_found(public):
    assert public.get("/help/no-such-topic/").status_code == 404
    assert public.get("/help/..%2Fsettings/").status_code == 404


def test_the_held_back_topic_explains_every_reason():
    text = topics.topic("held-back", "nl").html
    for reason in ("Voldoet niet aan de regels", "Bestemd voor een ander bedrijf", "Waarschijnlijk dubbel"):
        assert reason in text


def test_pages_link_to_their_help(logged_in_a, firm_a):
    logged_in_a.cookies["portal_language"] = "nl"
    page = logged_in_a.get("/settings/integrations/").content.decode()
    assert 'href="/help/billsync/"' in page
    assert 'href="/help/firebird/"' in page
    assert 'href="/help/custom-host/"' in logged_in_a.get("/settings/branding/").content.decode()
