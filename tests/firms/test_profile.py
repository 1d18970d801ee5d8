"""The firm's company details: checked numbers, messages in the user's language, nothing half-saved."""

import pytest

from firms.models import Firm

GOOD = {
    "name": "Firm A",
    "legal_name": "Firm A BV",
    "enterprise_number": "0403.170.701",
    "vat_number": "BE 0403 170 701",
    "street": "Kerkstraat 1",
    "postal_code": "9000",
    "city": "Gent",
    "country": "be",
    "email": "info@firm-a.example",
    "phone": "+32 9 123 45 67",
    "iban": "BE71 0961 2345 6769",
}


def test_owner_saves_profile_with_normalised_numbers(logged_in_a, firm_a):
    response = logged_in_a.post("/settings/profile/", GOOD)
    assert response.status_code == 302
    firm = Firm.objects.get(pk=firm_a.pk)
    assert (firm.enterprise_number, firm.vat_number, firm.iban, firm.country) == (
        "0403170701",
        "BE0403170701",
        "BE71096123456769",
        "BE",
    )


@pytest.mark.parametrize(
    ("language", "field", "value", "message"),
    [
        ("nl", "enterprise_number", "0403.170.702", "is geen geldig Belgisch ondernemingsnummer"),
        ("fr", "enterprise_number", "0403.170.702", "n’est pas un numéro d’entreprise belge valide"),
        ("nl", "iban", "BE71 0961 2345 6768", "is geen geldig IBAN"),
        ("fr", "iban", "BE71 0961 2345 6768", "n’est pas un IBAN valide"),
    ],
)
def test_bad_numbers_get_a_field_message_in_the_users_language(logged_in_a, firm_a, language, field, value, message):
    before = Firm.objects.get(pk=firm_a.pk)
    response = logged_in_a.post(
        "/settings/profile/", {**GOOD, field: value, "city": "Changed"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert f'value="{value}"' in response.content.decode()  # what the user typed is kept
    after = Firm.objects.get(pk=firm_a.pk)
    assert (after.city, after.enterprise_number, after.iban) == (before.city, before.enterprise_number, before.iban)


def test_staff_cannot_change_profile(client_a, staff_a, firm_a):
    client_a.force_login(staff_a)
    assert client_a.get("/settings/profile/").status_code == 200
    client_a.post("/settings/profile/", {**GOOD, "city": "Elsewhere"})
    assert Firm.objects.get(pk=firm_a.pk).city != "Elsewhere"
