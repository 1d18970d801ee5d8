"""Readable text on the firm's colours (WCAG 2.x relative luminance and contrast) and the form's warning."""

import pytest

from branding.colours import contrast_ratio, contrast_warnings, normalise_hex, readable_text, relative_luminance

from .conftest import form_data


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("#1F4E79", "#1f4e79"),
        ("1f4e79", "#1f4e79"),
        ("#abc", "#aabbcc"),
        (" #ffffff ", "#ffffff"),
        ("#12345", None),
        ("red", None),
        ("#ggggggg", None),
        ("", None),
        ("#1f4e79;}body{", None),
    ],
)
def test_hex_colours_are_normalised_or_refused(raw, expected):
    assert normalise_hex(raw) == expected


def test_luminance_and_contrast_match_wcag_reference_values():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic AA near-miss
    assert contrast_ratio("#1f4e79", "#ffffff") == pytest.approx(8.66, abs=0.01)


@pytest.mark.parametrize(
    "background, text",
    [
        ("#1f4e79", "#ffffff"),
        ("#f2b134", "#000000"),
        ("#ffff00", "#000000"),
        ("#000080", "#ffffff"),
        ("#777777", "#000000"),
        ("#bc4b51", "#ffffff"),
        ("#e0e0e0", "#000000"),
    ],
)
def test_black_or_white_text_whichever_reads_better(background, text):
    assert readable_text(background)[0] == text


def test_the_better_of_black_and_white_always_meets_aa():
    worst = min(readable_text(f"#{v:02x}{v:02x}{v:02x}")[1] for v in range(256))
    assert 4.5 < worst < 4.65  # never below √21 ≈ 4.58: the two ratios multiply to 21


def test_a_light_main_colour_is_flagged_for_links_on_white():
    assert set(contrast_warnings("#ffd700", "#f2b134", "#1f7a4d")) == {"main_colour"}
    assert contrast_warnings("#1f4e79", "#f2b134", "#1f7a4d") == {}


def test_the_form_warns_but_saves_a_hard_to_read_main_colour(logged_in_a):
    response = logged_in_a.post("/settings/branding/", form_data(main_colour="#ffd700"), follow=True)
    page = response.content.decode()
    assert "The branding was saved." in page
    assert "hard to read on the white page" in page


def test_a_bad_hex_value_is_refused_with_a_message(logged_in_a):
    page = logged_in_a.post("/settings/branding/", form_data(button_colour="#12zz45")).content.decode()
    assert "six hexadecimal digits" in page and 'value="#12zz45"' in page
