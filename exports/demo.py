"""Demo export settings for `make run`: BOB dossier references for two demo dossiers, so their files land in
REF/Demat/Aankopen, REF/Demat/Verkopen and REF/CODA. Idempotent."""

from django_tenants.utils import schema_context

from dossiers.models import Dossier
from firms.models import Firm

from .models import ExportSettings

REFERENCES = {"0202239951": "PEETERS", "0417497106": "CLAES"}


def seed_export_settings(firm: Firm) -> None:
    with schema_context(firm.schema_name):
        for number, reference in REFERENCES.items():
            dossier = Dossier.objects.filter(enterprise_number=number).first()
            if dossier is not None:
                ExportSettings.objects.get_or_create(dossier=dossier, defaults={"bob_reference": reference})
