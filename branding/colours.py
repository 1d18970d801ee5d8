"""Colour arithmetic for branding: hex parsing, WCAG 2.x relative luminance and contrast, readable text.

Pure functions, no Django. WCAG 2.2 §1.4.3 (AA) asks 4.5:1 for normal text.
"""

import re

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
AA_NORMAL_TEXT = 4.5
BLACK, WHITE = "#000000", "#ffffff"


def normalise_hex(value: str) -> str | None:
    """`#1F4E79`, `1f4e79` or `#abc` → `#1f4e79` / `#aabbcc`; anything else → None."""
    value = (value or "").strip().lower()
    if not value.startswith("#"):
        value = "#" + value
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    return value if HEX_COLOUR.match(value) else None


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB `#rrggbb` colour, 0 (black) to 1 (white)."""
    channels = []
    for start in (1, 3, 5):
        c = int(colour[start : start + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text(background: str) -> tuple[str, float]:
    """Black or white, whichever contrasts more with `background`, and that contrast ratio.

    Since the two ratios multiply to 21, the better one is never below √21 ≈ 4.58:1, so text in the
    returned colour always meets AA for normal text.
    """
    on_black, on_white = contrast_ratio(background, BLACK), contrast_ratio(background, WHITE)
    return (BLACK, on_black) if on_black >= on_white else (WHITE, on_white)


def contrast_warnings(main: str, nav: str, button: str) -> dict[str, tuple[str, float]]:
    """Colours that are hard to read, by field name: `(what, ratio)` with `what` "text" (black or white text
    on the colour) or "links" (the main colour as link text on the white page), for ratios below AA 4.5:1."""
    warnings = {}
    for field, colour in (("main_colour", main), ("nav_colour", nav), ("button_colour", button)):
        _text, ratio = readable_text(colour)
        if ratio < AA_NORMAL_TEXT:
            warnings[field] = ("text", ratio)
    links = contrast_ratio(main, WHITE)
    if "main_colour" not in warnings and links < AA_NORMAL_TEXT:
        warnings["main_colour"] = ("links", links)
    return warnings
