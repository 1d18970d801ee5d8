"""A branding save that fails on another field says which chosen images must be chosen again; a firm without
its own favicon gets the platform's."""

from branding.models import Branding

from .conftest import form_data, png, upload


def test_a_failed_save_names_the_image_to_choose_again(logged_in_a, firm_a):
    data = form_data(main_colour="not a colour", logo=upload("logo.png", png()))
    page = logged_in_a.post("/settings/branding/", data).content.decode()
    assert "choose it again" in page
    assert page.count("choose it again") == 1  # only the logo was chosen
    assert not Branding.objects.filter(firm=firm_a).exclude(logo="").exists()


def test_a_firm_without_a_favicon_gets_the_platforms(logged_in_a):
    page = logged_in_a.get("/dashboard/").content.decode()
    assert 'rel="icon" href="/static/portal/favicon.svg"' in page
