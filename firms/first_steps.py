"""A new firm's first steps, as the dashboard's checklist: each step is done when the data says so (nobody ticks
anything by hand), and the list disappears once every step is done."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Firm


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Promise
    url: str
    done: bool


def first_steps(firm: Firm) -> list[Step]:
    """The checklist for `firm` (call inside the firm's schema: the dossier count is per firm)."""
    from branding.models import Branding
    from dossiers.models import Dossier
    from sync_api.models import SyncKey

    def url(name: str) -> str:
        try:
            return reverse(name)
        except NoReverseMatch:
            return ""

    return [
        Step("profile", _("Complete your firm's profile"), url("profile"), bool(firm.vat_number and firm.street)),
        Step(
            "team",
            _("Invite your team"),
            url("team"),
            firm.memberships.count() > 1 or firm.staff_invitations.exists(),
        ),
        Step("dossiers", _("Add or import your dossiers"), url("dossier_list"), Dossier.objects.exists()),
        Step(
            "billsync",
            _("Set up Billsync"),
            url("sync_integrations"),
            SyncKey.objects.filter(firm=firm, heartbeat__isnull=False).exists(),
        ),
        Step("branding", _("Set your branding"), url("branding_settings"), Branding.objects.filter(firm=firm).exists()),
    ]


def checklist(firm: Firm) -> list[Step] | None:
    """The steps while one is still open; None once the firm has done them all."""
    steps = first_steps(firm)
    return None if all(step.done for step in steps) else steps
