"""The demo firm's branding for `make run`: colours, login title, a logo drawn at seed time and the custom
host portal.demo-firm.localhost (Chromium and curl resolve every *.localhost name to the loopback address)."""

import io
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from firms.models import Firm

from .images import clean_image
from .models import Branding
from .services import BrandingInput, save_branding, set_custom_host

DEMO_CUSTOM_HOST = "portal.demo-firm.localhost"
DEMO_COLOURS: dict[str, Any] = {"main_colour": "#0b4f4a", "nav_colour": "#f4a259", "button_colour": "#bc4b51"}


def demo_logo() -> bytes:
    """A small PNG: a rounded badge with the firm's initials and its name."""
    image = Image.new("RGBA", (360, 96), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 92, 92), radius=18, fill=DEMO_COLOURS["main_colour"])
    draw.ellipse((62, 10, 86, 34), fill=DEMO_COLOURS["nav_colour"])
    draw.text((48, 50), "DB", fill="white", font=ImageFont.load_default(size=36), anchor="mm")
    draw.text(
        (108, 48),
        "Demo Boekhouding",
        fill=DEMO_COLOURS["main_colour"],
        font=ImageFont.load_default(size=28),
        anchor="lm",
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def seed_branding(firm: Firm) -> None:
    """Brand the demo firm once; a later seed keeps whatever was changed on the Branding page."""
    if not Branding.objects.filter(firm=firm).exists():
        save_branding(
            firm,
            BrandingInput(
                login_title="Welkom bij Demo Boekhouding",
                images={"logo": clean_image(demo_logo(), "demo-logo.png", "logo")},
                **DEMO_COLOURS,
            ),
        )
        set_custom_host(firm, DEMO_CUSTOM_HOST)
