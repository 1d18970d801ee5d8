"""The dossier's history in words, grouped when there are many of a kind in a row, never codes."""

from django.utils import translation

from dossiers.history import GROUP_FROM, history
from dossiers.models import AuditEntry
from dossiers.services import audit
from tests.factories import DossierFactory


def test_entries_read_as_sentences_with_the_persons_name(firm_a, owner_a):
    dossier = DossierFactory()
    audit(dossier, owner_a, "invited", email="an@peeters.example")
    audit(dossier, None, "moved_in", contacts=2)
    audit(dossier, None, "coda_received", file="x.cod", statements=1)
    audit(dossier, None, "coda_received", file="y.cod", numbers=[36])
    audit(dossier, owner_a, "something_new_nobody_worded")
    with translation.override("en"):
        lines = [line.text for line in history(list(dossier.audit.select_related("actor")))]
    assert lines == [
        "Changed by Owner Firm A",
        "CODA statement 36 received",
        "1 CODA statement received",
        "Moved in from another firm",
        "Invited by Owner Firm A (an@peeters.example)",
    ]


def test_many_of_a_kind_in_a_row_become_one_line(firm_a, owner_a):
    dossier = DossierFactory()
    audit(dossier, owner_a, "created")
    for number in range(12):
        audit(dossier, None, "document_imported", number=f"INV-{number}")
    audit(dossier, owner_a, "archived")
    with translation.override("en"):
        lines = history(list(dossier.audit.select_related("actor")))
    assert [(line.count, line.text) for line in lines] == [
        (1, "Archived by Owner Firm A"),
        (12, "Document INV-11 received"),
        (1, "Added by Owner Firm A"),
    ]
    assert GROUP_FROM <= 12


def test_the_dossier_page_shows_words_in_dutch_not_codes(logged_in_a, owner_a):
    dossier = DossierFactory()
    audit(dossier, owner_a, "opened_as_entrepreneur")
    for _ in range(3):
        audit(dossier, None, "coda_received", file="x.cod", statements=2)
    html = logged_in_a.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "opened_as_entrepreneur" not in html and "coda_received" not in html
    assert "Owner Firm A opende de weergave van de ondernemer" in html
    assert "3 ×" in html
    assert AuditEntry.objects.filter(dossier=dossier).count() == 4


def test_an_export_anyway_shows_who_and_why(firm_a, owner_a):
    dossier = DossierFactory()
    audit(dossier, owner_a, "document_exported_anyway", number="F-1", reason="Klant bevestigt")
    with translation.override("en"):
        [line] = history(list(dossier.audit.select_related("actor")))
    assert line.text == "Document F-1 exported anyway by Owner Firm A: “Klant bevestigt”"
