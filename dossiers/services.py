"""Rules about dossiers: creation and update (by hand or from Excel), the enterprise-number directory,
invitations and activation of entrepreneurs, the dashboard summary and the audit log.

Functions run in the current firm's schema (the request's, or a `schema_context`) and take the firm
explicitly where they touch the public schema.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError
from core.identifiers import clean_enterprise_number, format_enterprise_number
from exports.defaults import create_settings_for, update_settings_from_sheet
from exports.layout import LayoutError, clean_bob_reference
from exports.models import DEFAULTED_FIELDS, ExportDefaults, ExportSettings, Policy
from firms.models import DirectoryEntry, DossierAccess, Firm, Membership, User, recorded_user
from firms.tokens import hash_token, new_token

from .importing import Spec, clean_language, clean_optional_email
from .models import AuditEntry, Dossier, DossierInvitation, DossierStatus
from .sheets import dossier_columns, policy_words, yes_no_words

INVITATION_LIFETIME = timedelta(days=14)
TRIAL_LENGTH = timedelta(weeks=4)
DOSSIER_FIELDS = (
    "name",
    "enterprise_number",
    "legal_form",
    "street",
    "postal_code",
    "city",
    "country",
    "email",
    "language",
    "assigned_to_id",
)


def dashboard_summary() -> dict:
    """Counts for the accountant's start page, in the current firm's schema: one query."""
    now = timezone.now()
    return Dossier.objects.not_archived().aggregate(
        dossiers=Count("pk"),
        not_invited=Count("pk", filter=Q(status=DossierStatus.NOT_INVITED)),
        invited=Count("pk", filter=Q(status=DossierStatus.INVITED)),
        trial_ending=Count("pk", filter=Q(pk__in=Dossier.objects.trial_ending(now).values("pk"))),
    )


def audit(dossier: Dossier | None, actor, action: str, **detail) -> AuditEntry:
    entry = audit_entry(dossier, actor, action, **detail)
    entry.save()
    return entry


def audit_entry(dossier: Dossier | None, actor, action: str, **detail) -> AuditEntry:
    """An audit entry not saved yet, for saving many at once (bulk_create)."""
    return AuditEntry(
        dossier=dossier,
        enterprise_number=dossier.enterprise_number if dossier else "",
        actor=recorded_user(actor),
        action=action,
        detail=detail,
    )


def numbers_with_account_elsewhere(firm: Firm, enterprise_numbers) -> set[str]:
    """Which of these enterprise numbers another firm keeps a dossier for whose entrepreneur has an
    account. Says nothing about which firm. One query."""
    entries = DirectoryEntry.objects.filter(enterprise_number__in=list(enterprise_numbers)).exclude(firm=firm)
    accounts = DossierAccess.objects.filter(firm_id=OuterRef("firm_id"), dossier_id=OuterRef("dossier_id"))
    return set(entries.filter(Exists(accounts)).values_list("enterprise_number", flat=True))


def _register(firm: Firm, dossier: Dossier) -> None:
    DirectoryEntry.objects.update_or_create(
        firm=firm, dossier_id=dossier.pk, defaults={"enterprise_number": dossier.enterprise_number}
    )


def create_dossier(firm: Firm, values: dict, actor) -> Dossier:
    """Create a dossier from cleaned values. Refuses an enterprise number the firm already has."""
    existing = Dossier.objects.filter(enterprise_number=values["enterprise_number"]).first()
    if existing is not None:
        raise DuplicateDossier(existing)
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(**values)
            create_settings_for([dossier])
            _register(firm, dossier)
            audit(dossier, actor, "created")
    except IntegrityError:
        raise DuplicateDossier(Dossier.objects.get(enterprise_number=values["enterprise_number"])) from None
    return dossier


def update_dossier(firm: Firm, dossier: Dossier, values: dict, actor) -> list[str]:
    """Apply changed values; return the names of the fields that changed (none: nothing written)."""
    changed = [name for name, value in values.items() if getattr(dossier, name) != value]
    if changed:
        with transaction.atomic():
            for name in changed:
                setattr(dossier, name, values[name])
            dossier.save()
            _register(firm, dossier)
            audit(dossier, actor, "updated", fields=changed)
    return changed


class DuplicateDossier(PortalError):
    def __init__(self, existing: Dossier):
        super().__init__(
            _("This enterprise number already has a dossier: %(name)s.") % {"name": existing.name}, "enterprise_number"
        )
        self.existing = existing


# --- Excel import -------------------------------------------------------------------------------------------


class DossierSpec(Spec):
    """Dossiers from Excel, matched on the enterprise number."""

    model = Dossier
    side_fields = ("bob_reference", *DEFAULTED_FIELDS)

    def __init__(self, firm: Firm):
        self.firm = firm
        self.staff = {
            email.lower(): pk
            for pk, email in Membership.objects.filter(firm=firm).values_list("user_id", "user__email")
        }
        self.defaults = ExportDefaults.current()
        self.policies = policy_words()
        self.yes_no = yes_no_words()
        # Reference (case-insensitive, as Windows sees folders) -> enterprise number of the dossier using it.
        self.references = {
            reference.upper(): number
            for reference, number in ExportSettings.objects.exclude(bob_reference="").values_list(
                "bob_reference", "dossier__enterprise_number"
            )
        }

    def columns(self):
        return dossier_columns()

    def existing(self):
        dossiers = Dossier.objects.select_related("export_settings")
        return {("enterprise_number", d.enterprise_number): d for d in dossiers}

    def current(self, record, name):
        if name not in self.side_fields:
            return getattr(record, name)
        chosen = getattr(record, "export_settings", None)
        if chosen is None:
            return "" if name == "bob_reference" else getattr(self.defaults, name)
        return getattr(chosen, name)

    def _clean_settings(self, values, number, fail) -> dict:
        """The export settings columns: only those the row fills in (empty: keep what the dossier has; a new
        dossier takes the firm's default, its reference by the firm's rule)."""
        cleaned: dict[str, object] = {}
        if values["bob_reference"]:
            try:
                reference = clean_bob_reference(values["bob_reference"])
            except LayoutError as error:
                fail("bob_reference", str(error))
            else:
                user = self.references.setdefault(reference.upper(), number)
                if user != number:
                    fail(
                        "bob_reference",
                        _("The reference %(reference)s is already the folder of dossier %(number)s.")
                        % {"reference": reference, "number": user},
                    )
                cleaned["bob_reference"] = reference
        if values["policy"]:
            policy = self.policies.get(values["policy"].strip().lower())
            if policy is None:
                fail("policy", _("Use one of: %(values)s.") % {"values": ", ".join(str(v) for v in Policy.labels)})
            cleaned["policy"] = policy
        for key in ("needs_approval", "lock_after_export", "export_uploaded_coda"):
            if values[key]:
                answer = self.yes_no.get(values[key].strip().lower())
                if answer is None:
                    fail(key, _("Use yes or no."))
                cleaned[key] = answer
        return cleaned

    def keys(self, cleaned):
        return [("enterprise_number", cleaned["enterprise_number"])]

    def clean(self, values, fail):
        number = ""
        try:
            number = clean_enterprise_number(values["enterprise_number"])
        except ValidationError as error:
            fail("enterprise_number", error.messages[0])
        if not values["name"]:
            fail("name", _("The name is required."))
        email = clean_optional_email(values["email"], lambda message: fail("email", message))
        language = clean_language(values["language"], lambda message: fail("language", message))
        assigned = None
        if values["assigned_to"]:
            assigned = self.staff.get(values["assigned_to"].lower())
            if assigned is None:
                fail("assigned_to", _("“%(value)s” is not a member of the firm.") % {"value": values["assigned_to"]})
        return {
            "name": values["name"][:200],
            "enterprise_number": number,
            "legal_form": values["legal_form"][:40],
            "street": values["street"][:200],
            "postal_code": values["postal_code"][:10],
            "city": values["city"][:100],
            "country": (values["country"] or "BE").upper()[:2],
            "email": email,
            "language": language,
            "assigned_to_id": assigned,
            **self._clean_settings(values, number, fail),
        }

    def write_side(self, created, updates):
        create_settings_for(
            [dossier for dossier, _values in created],
            {
                dossier.pk: {name: values[name] for name in self.side_fields if name in values}
                for dossier, values in created
            },
        )
        update_settings_from_sheet(
            {
                pk: {name: values[name] for name in changed if name in self.side_fields}
                for pk, values, changed in updates
            }
        )

    def label(self, cleaned):
        return f"{format_enterprise_number(cleaned['enterprise_number'])} {cleaned['name']}"

    def shown(self, name, value):
        if name == "assigned_to_id":
            return next((email for email, pk in self.staff.items() if pk == value), "")
        if name == "policy" and value in Policy.values:
            return str(Policy(value).label)
        return super().shown(name, value)

    def finish_plan(self, plan):
        new_numbers = [values["enterprise_number"] for values in plan.creates]
        plan.elsewhere = sorted(numbers_with_account_elsewhere(self.firm, new_numbers))
        names = {values["enterprise_number"]: values["name"] for values in plan.creates}
        plan.elsewhere_named = [(format_enterprise_number(number), names[number]) for number in plan.elsewhere]

    def after_apply(self, created, updates, actor):
        DirectoryEntry.objects.bulk_create(
            [DirectoryEntry(firm=self.firm, dossier_id=d.pk, enterprise_number=d.enterprise_number) for d in created]
        )
        actor_id = actor.pk if recorded_user(actor) else None
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(dossier=d, enterprise_number=d.enterprise_number, actor_id=actor_id, action="imported")
                for d in created
            ]
            + [
                AuditEntry(
                    dossier_id=pk,
                    enterprise_number=values["enterprise_number"],
                    actor_id=actor_id,
                    action="updated",
                    detail={"fields": changed, "source": "excel"},
                )
                for pk, values, changed in updates
            ]
        )


# --- invitations and activation -----------------------------------------------------------------------------


def create_invitation(dossier: Dossier, actor) -> tuple[DossierInvitation, str]:
    """Make a new single-use activation link for the dossier's entrepreneur, revoking any earlier one."""
    if not dossier.email:
        raise PortalError(
            _("%(name)s has no entrepreneur's email address.") % {"name": dossier.name}, code=ErrorCode.INCOMPLETE
        )
    if dossier.is_archived:
        raise PortalError(_("%(name)s is archived.") % {"name": dossier.name}, code=ErrorCode.NOT_ALLOWED_IN_STATE)
    raw, digest = new_token()
    now = timezone.now()
    with transaction.atomic():
        DossierInvitation.objects.filter(dossier=dossier, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        invitation = DossierInvitation.objects.create(
            dossier=dossier,
            email=dossier.email,
            token_hash=digest,
            sent_by=recorded_user(actor),
            expires_at=now + INVITATION_LIFETIME,
        )
        fields: dict[str, object] = {"invited_at": now}
        if dossier.activated_at is None:
            fields["status"] = DossierStatus.INVITED
        Dossier.objects.filter(pk=dossier.pk).update(**fields)
        audit(dossier, actor, "invited", email=dossier.email)
    return invitation, raw


def find_invitation(raw: str) -> DossierInvitation:
    invitation = DossierInvitation.objects.select_related("dossier").filter(token_hash=hash_token(raw)).first()
    if invitation is None or not invitation.is_usable:
        raise PortalError(
            _("This activation link is no longer valid. Ask your accountant for a new one."), code=ErrorCode.EXPIRED
        )
    return invitation


def activate(firm: Firm, invitation: DossierInvitation, *, password: str, full_name: str = "") -> User:
    """Use an activation link: the entrepreneur gets (or reuses) an account and access to the dossier.
    A new account starts a four-week trial. The link works once."""
    now = timezone.now()
    dossier = invitation.dossier
    with transaction.atomic():
        if not DossierInvitation.objects.claim(invitation.pk, now):
            raise PortalError(
                _("This activation link is no longer valid. Ask your accountant for a new one."), code=ErrorCode.EXPIRED
            )
        user = User.objects.filter(email__iexact=invitation.email).first()
        fields: dict[str, object] = {"activated_at": now, "last_activity_at": now}
        if user is None:
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name.strip() or dossier.name,
                language=dossier.language,
            )
            fields.update(status=DossierStatus.TRIAL, trial_ends_at=now + TRIAL_LENGTH)
        else:
            fields.update(status=DossierStatus.ACTIVE)
        DossierAccess.objects.get_or_create(user=user, firm=firm, dossier_id=dossier.pk)
        Dossier.objects.filter(pk=dossier.pk).update(**fields)
        audit(dossier, user, "activated")
    return user


def set_archived(firm: Firm, dossier: Dossier, archived: bool, actor) -> None:
    """Archive a dossier (it leaves the list and its entrepreneurs lose access) or bring it back."""
    now = timezone.now()
    with transaction.atomic():
        if archived:
            Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.ARCHIVED, archived_at=now)
            DossierInvitation.objects.filter(dossier=dossier, used_at__isnull=True, revoked_at__isnull=True).update(
                revoked_at=now
            )
        else:
            Dossier.objects.filter(pk=dossier.pk).update(status=dossier.status_from_history(now), archived_at=None)
        audit(dossier, actor, "archived" if archived else "unarchived")
