"""File names and folders that Sage BOB's Demat reads on a Windows server."""

import unicodedata
from datetime import date
from pathlib import PureWindowsPath

import pytest

from billsync.paths import check_path
from exports import layout


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("COM1", "_COM1"),
        ('a<b>c:d"e/f\\g|h?i*j', "a-b-c-d-e-f-g-h-i-j"),
        ("tab\tand\nnewline", "tab-and-newline"),
        ("trailing dots...", "trailing dots"),
        ("", "_"),
        ("Bakkerij Peeters", "Bakkerij Peeters"),
    ],
)
def test_safe_name_makes_windows_accept_the_name(text, expected):
    assert layout.safe_name(text) == expected


def test_names_are_at_most_120_characters():
    name = layout.document_filename(date(2026, 11, 3), 123, "F" * 300, "Leverancier " * 30)
    assert len(name) <= 120
    assert name.startswith("20261103-000123-") and name.endswith(".xml")


def test_names_sort_by_date_then_creation_and_are_stable():
    names = [
        layout.document_filename(date(2026, 1, 2), 7, "A", "X"),
        layout.document_filename(date(2026, 1, 2), 12, "B", "X"),
        layout.document_filename(date(2026, 3, 1), 3, "C", "X"),
    ]
    assert sorted(names) == names
    assert layout.document_filename(date(2026, 1, 2), 7, "A", "X") == names[0]


def test_coda_files_end_in_cod():
    name = layout.statement_filename(date(2026, 11, 30), 7, "BE71096123456769", 2026, 231)
    assert name == "20261130-000007-BE71096123456769-2026-231.cod"


def test_default_folders_follow_the_bob_reference():
    assert layout.folders("BAKKER", {}) == {
        "purchases": "BAKKER/Demat/Aankopen",
        "sales": "BAKKER/Demat/Verkopen",
        "coda": "BAKKER/CODA",
    }


def test_without_reference_there_is_no_folder_at_all():
    # Never a folder invented from the client's name: BOB would not read it.
    assert layout.folders("", {}) == {}
    assert layout.folders("", {"purchases": "X/Demat/Aankopen"}) == {}


@pytest.mark.parametrize("reference", ["PEETERS", "0403170701", "BAK-01", "a_b", "Z"])
def test_a_bob_reference_is_letters_and_digits(reference):
    assert layout.clean_bob_reference(f" {reference} ") == reference


@pytest.mark.parametrize(
    "reference",
    ["Bakkerij Peeters", "-REF", "_REF", "REF.", "R/EF", r"R\EF", "Café", "..", "A" * 21, "CON", "nul", "RE:F"],
)
def test_a_bob_reference_that_bob_cannot_use_as_folder_is_refused(reference):
    with pytest.raises(layout.LayoutError):
        layout.clean_bob_reference(reference)


def test_an_override_replaces_one_folder_and_backslashes_become_slashes():
    chosen = layout.folders("REF", {"purchases": r"REF\Demat\Inkomend"})
    assert chosen["purchases"] == "REF/Demat/Inkomend"
    assert chosen["sales"] == "REF/Demat/Verkopen"


@pytest.mark.parametrize(
    "folder",
    ["/etc", r"\\server\share", "C:/BOB50DATA", "c:REF", "REF/../x", "./REF", "REF/CON", "REF/a?b", "REF/trailing. "],
)
def test_unsafe_folders_are_refused_with_a_reason(folder):
    with pytest.raises(layout.LayoutError) as refused:
        layout.clean_folder(folder)
    assert str(refused.value)


def test_every_generated_path_is_relative_and_inside_the_root():
    path = "REF/Demat/Aankopen/" + layout.document_filename(date(2026, 1, 1), 1, "../../x", "C:\\evil")
    assert check_path(path)  # the agent's own check, which refuses what it would not write
    windows = PureWindowsPath(path)
    assert not windows.is_absolute() and not windows.drive and ".." not in windows.parts


@pytest.mark.parametrize(
    "counterparty",
    [
        "Supplier \u202egpj.exe",
        "Sup\u200bplier",
        "\ufeffSupplier",
        "Sup\u2066pl\u2067i\u2068e\u2069r",
        "Supplier\u200d\u200c\u2060",
    ],
)
def test_invisible_characters_never_reach_a_file_name(counterparty):
    name = layout.document_filename(date(2026, 11, 3), 7, "INV-1", counterparty)
    assert not any(unicodedata.category(char) == "Cf" for char in name)
    assert "Supplier" in name.replace("gpj.exe", "")
    # The agent, which refuses such names, accepts what the portal produces.
    assert check_path(f"REF/Demat/Aankopen/{name}")[-1] == name


def test_names_and_folders_are_nfc():
    name = layout.document_filename(date(2026, 11, 3), 7, "INV-1", "Cafe\u0301 Noe\u0308l")
    assert "Café Noël" in name and unicodedata.is_normalized("NFC", name)
    assert layout.clean_folder("Klant\u200b/Aankopen\u202e") == "Klant/Aankopen"
