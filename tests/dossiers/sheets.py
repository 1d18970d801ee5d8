"""Build .xlsx files for tests, as a user's Excel would."""

import io

from openpyxl import Workbook

HEADER = [
    "Ondernemingsnummer *",
    "Naam *",
    "Rechtsvorm",
    "Straat en nummer",
    "Postcode",
    "Gemeente",
    "Land",
    "E-mail ondernemer",
    "Taal",
    "Toegewezen medewerker",
]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dossier_row(number, name, email="", language="nl", city="Gent"):
    return [number, name, "BV", "Kerkstraat 1", "9000", city, "BE", email, language, ""]
