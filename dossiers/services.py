"""Rules about dossiers: the dashboard summary, audit entries."""

from .models import AuditEntry, Dossier, DossierStatus


def dashboard_summary() -> dict:
    """Counts for the accountant's start page, in the current firm's schema."""
    dossiers = Dossier.objects.exclude(status=DossierStatus.ARCHIVED)
    return {"dossiers": dossiers.count()}


def audit(dossier: Dossier | None, actor, action: str, **detail) -> AuditEntry:
    return AuditEntry.objects.create(
        dossier=dossier,
        enterprise_number=dossier.enterprise_number if dossier else "",
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        detail=detail,
    )
