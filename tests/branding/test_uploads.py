"""Logo, favicon and login image: raster images only, re-encoded without metadata, refused with a clear
message otherwise, and a refused upload changes nothing of the saved branding."""

import io

import pytest
from django.test import Client
from PIL import Image

from branding.images import ImageRefused, clean_image
from branding.models import Branding

from .conftest import SVG_WITH_SCRIPT, form_data, image_bytes, jpeg_with_exif, png, png_claiming, upload


@pytest.mark.parametrize("fmt, extension", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_png_jpeg_and_webp_are_accepted_and_re_encoded(fmt, extension):
    clean = clean_image(image_bytes(fmt, (200, 100)), f"logo.{extension}", "logo")
    assert clean.extension == extension
    assert Image.open(io.BytesIO(clean.data)).size == (200, 100)


def test_an_ico_favicon_is_accepted_and_served_as_png():
    clean = clean_image(image_bytes("ICO", (48, 48), sizes=[(48, 48)]), "favicon.ico", "favicon")
    assert clean.extension == "png" and Image.open(io.BytesIO(clean.data)).format == "PNG"
    with pytest.raises(ImageRefused):
        clean_image(image_bytes("ICO", (48, 48), sizes=[(48, 48)]), "logo.ico", "logo")  # ICO only as favicon


def test_metadata_is_stripped():
    original = jpeg_with_exif()
    assert b"Secret Photographer" in original
    clean = clean_image(original, "photo.jpg", "login_image")
    assert b"Secret Photographer" not in clean.data and b"Kerkstraat" not in clean.data
    assert not Image.open(io.BytesIO(clean.data)).getexif()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("logo.svg", SVG_WITH_SCRIPT, "SVG"),
        ("logo.png", SVG_WITH_SCRIPT, "SVG"),  # markup behind a .png name
        ("logo.png", b"<html><script>alert(1)</script></html>", "SVG and other markup"),
        ("logo.png", b"GIF89a but not really an image at all" * 10, "not a valid PNG, JPEG, WebP image"),
        ("logo.png", image_bytes("GIF", (64, 64)), "not a valid PNG, JPEG, WebP image"),  # a real GIF
        ("logo.png", png()[:60], "not a valid"),  # truncated
        ("logo.png", png_claiming(40000, 40000), "too many pixels"),  # decompression bomb
        ("logo.png", png_claiming(3000, 800), "3000 × 800 pixels"),
        ("logo.png", png((8, 8)), "too small"),
        ("logo.png", b"\x89PNG" + b"\0" * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(ImageRefused) as refused:
        clean_image(data, name, "logo")
    assert message in refused.value.message


def test_uploaded_images_are_stored_per_firm_and_shown(logged_in_a, firm_a):
    response = logged_in_a.post(
        "/settings/branding/",
        {
            **form_data(),
            "logo": upload("logo.png", png()),
            "favicon": upload("favicon.ico", image_bytes("ICO", (32, 32), sizes=[(32, 32)]), "image/x-icon"),
            "login_image": upload("hero.webp", image_bytes("WEBP", (800, 500)), "image/webp"),
        },
        follow=True,
    )
    assert "The branding was saved." in response.content.decode()
    branding = Branding.objects.get(firm=firm_a)
    assert branding.logo.startswith("firm_firm_a/branding/logo-") and branding.logo.endswith(".png")
    assert branding.login_image.endswith(".webp")
    login = Client(HTTP_HOST="firm-a.localhost").get("/accounts/login/").content.decode()
    logo_url = "/branding/files/" + branding.logo.rsplit("/", 1)[1]
    assert f'src="{logo_url}"' in login
    assert 'rel="icon" href="/branding/files/favicon-' in login
    assert 'class="login-image" src="/branding/files/login-image-' in login
    served = Client(HTTP_HOST="firm-a.localhost").get(logo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert "immutable" in served["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (120, 60)
    # Another firm's host does not serve firm A's files.
    assert Client(HTTP_HOST="firm-b.localhost").get(logo_url).status_code == 404


def test_file_names_outside_the_branding_pattern_are_not_served(firm_a):
    client = Client(HTTP_HOST="firm-a.localhost")
    for name in ("..%2F..%2Fsettings.py", "logo-abc.png", "x.svg"):
        assert client.get(f"/branding/files/{name}").status_code == 404


@pytest.mark.parametrize(
    "field, name, data",
    [
        ("logo", "logo.svg", SVG_WITH_SCRIPT),
        ("logo", "logo.png", b"definitely not a PNG" * 20),
        ("favicon", "favicon.png", png_claiming(50000, 50000)),
        ("login_image", "hero.jpg", b"\xff\xd8" + b"\0" * (2 * 1024 * 1024 + 10)),
    ],
)
def test_a_refused_upload_leaves_the_saved_branding_unchanged(logged_in_a, firm_a, field, name, data):
    logged_in_a.post(
        "/settings/branding/",
        {
            **form_data(custom_host="my.firm-a.be", main_colour="#224466", login_title="Eerst"),
            "logo": upload("logo.png", png()),
        },
    )
    before = Branding.objects.get(firm=firm_a)
    response = logged_in_a.post(
        "/settings/branding/",
        {
            **form_data(custom_host="klanten.firm-a.be", main_colour="#aa0000", login_title="Daarna"),
            field: upload(name, data),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'class="error' in page
    assert 'value="Daarna"' in page and 'value="#aa0000"' in page  # the typed values stay in the form
    after = Branding.objects.get(firm=firm_a)
    assert [after.custom_host, after.main_colour, after.login_title, after.logo, after.favicon] == [
        before.custom_host,
        before.main_colour,
        before.login_title,
        before.logo,
        before.favicon,
    ]
    assert Client(HTTP_HOST="my.firm-a.be").get("/accounts/login/").status_code == 200
    assert Client(HTTP_HOST="klanten.firm-a.be").get("/accounts/login/").status_code == 404


def test_svg_refusal_is_translated(logged_in_a):
    logged_in_a.cookies["portal_language"] = "nl"
    page = logged_in_a.post(
        "/settings/branding/", {**form_data(), "logo": upload("logo.svg", SVG_WITH_SCRIPT)}
    ).content.decode()
    assert "scripts" in page and "niet aanvaard" in page


def test_an_image_can_be_removed(logged_in_a, firm_a):
    logged_in_a.post("/settings/branding/", {**form_data(), "logo": upload("logo.png", png())})
    assert Branding.objects.get(firm=firm_a).logo
    logged_in_a.post("/settings/branding/", {**form_data(), "remove_logo": "on"})
    assert Branding.objects.get(firm=firm_a).logo == ""
    assert "/branding/files/logo-" not in Client(HTTP_HOST="firm-a.localhost").get("/accounts/login/").content.decode()
