"""Branding tests: images made with Pillow on the spot, and the firms' cached branding forgotten around each
test (the cache is Redis, outside the per-test transaction that rolls the database back)."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from branding.services import forget_branding

CUSTOM_HOSTS = ["my.firm-a.be", "my.firm-b.be", "portaal.firm-a.be", "xn--bcher-kva.be", "klanten.firm-a.be"]


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English unless a test asks for Dutch or French."""
    with translation.override("en"):
        yield


@pytest.fixture
def logged_in_a(logged_in_a):
    logged_in_a.cookies["portal_language"] = "en"
    return logged_in_a


@pytest.fixture(autouse=True)
def forget_cached_branding(firms):
    for firm in firms:
        forget_branding(firm, *CUSTOM_HOSTS)
    yield
    for firm in firms:
        forget_branding(firm, *CUSTOM_HOSTS)


def image_bytes(fmt: str, size=(120, 60), mode="RGB", colour=(200, 30, 60), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def png(size=(120, 60)) -> bytes:
    return image_bytes("PNG", size, "RGBA", (200, 30, 60, 255))


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Secret Photographer"  # Artist
    exif[0x010E] = "home address, Kerkstraat 1"  # ImageDescription
    return image_bytes("JPEG", (300, 200), exif=exif.tobytes())


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels: a decompression bomb's signature."""
    data = bytearray(png((16, 16)))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def form_data(**overrides) -> dict:
    data = {
        "custom_host": "",
        "main_colour": "#1f4e79",
        "nav_colour": "#f2b134",
        "button_colour": "#1f7a4d",
        "login_title": "",
    }
    data.update(overrides)
    return data
