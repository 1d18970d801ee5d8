"""Firm-schema models: dossiers, their entrepreneurs' invitations, contacts, products and the audit log."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firms.models import user_reference
from firms.tokens import SingleUse, SingleUseQuerySet

LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


class DossierStatus(models.TextChoices):
    NOT_INVITED = "not_invited", _("Not invited")
    INVITED = "invited", _("Invited")
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


TRIAL_ENDING_WITHIN = timedelta(days=7)  # "trial ends soon" on the dashboard


class DossierQuerySet(models.QuerySet):
    def not_archived(self):
        """Every dossier the firm works on: all but the archived ones."""
        return self.exclude(status=DossierStatus.ARCHIVED)

    def in_trial(self, now: datetime):
        """Entrepreneurs in their trial: a trial whose end has passed counts as active (see `access_status`)."""
        return self.filter(status=DossierStatus.TRIAL, trial_ends_at__gt=now)

    def shown_as(self, status: str, now: datetime):
        """Dossiers whose `access_status` is `status` (what the list's status filter means)."""
        if status == DossierStatus.TRIAL:
            return self.in_trial(now)
        if status == DossierStatus.ACTIVE:
            return self.filter(Q(status=DossierStatus.ACTIVE) | Q(status=DossierStatus.TRIAL)).exclude(
                pk__in=self.in_trial(now).values("pk")
            )
        return self.filter(status=status)

    def without_bob_reference(self):
        """Dossiers without a Sage BOB reference (no export settings, or an empty reference): nothing of theirs
        is queued for the agent."""
        return self.filter(Q(export_settings__isnull=True) | Q(export_settings__bob_reference=""))

    def trial_ending(self, now: datetime):
        return self.in_trial(now).filter(trial_ends_at__lte=now + TRIAL_ENDING_WITHIN)


class Dossier(models.Model):
    """One client business of the firm, identified by its enterprise number (KBO/BCE)."""

    name = models.CharField(_("name"), max_length=200)
    enterprise_number = models.CharField(_("enterprise number"), max_length=10)
    legal_form = models.CharField(_("legal form"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    email = models.EmailField(_("entrepreneur's email"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="nl")
    assigned_to = user_reference(_("assigned staff member"))
    status = models.CharField(
        _("status"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.NOT_INVITED
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    trial_ends_at = models.DateTimeField(_("trial ends at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise_number"], name="dossier_enterprise_number_unique"),
            models.CheckConstraint(condition=Q(status__in=DossierStatus.values), name="dossier_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["assigned_to", "name"]),
            models.Index(fields=["last_activity_at"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.status == DossierStatus.ARCHIVED

    def access_status(self, now: datetime) -> str:
        """The status everyone is shown (list, dossier page, entrepreneur's home): the stored one, except that a
        trial without a future end is simply active. The one definition of `DossierQuerySet.in_trial`, for one
        dossier in memory."""
        if self.status == DossierStatus.TRIAL and not (self.trial_ends_at and self.trial_ends_at > now):
            return DossierStatus.ACTIVE
        return self.status

    def status_from_history(self, now: datetime) -> str:
        """What the status is when it is not archived, from what happened to the dossier (bringing it back from
        the archive)."""
        if self.activated_at:
            return DossierStatus.TRIAL if self.trial_ends_at and self.trial_ends_at > now else DossierStatus.ACTIVE
        if self.invited_at:
            return DossierStatus.INVITED
        return DossierStatus.NOT_INVITED


class DossierInvitation(SingleUse, models.Model):
    """A single-use activation link mailed to the entrepreneur. Only the token's hash is stored; sending a
    new one revokes the earlier ones."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SingleUseQuerySet.as_manager()

    class Meta:
        constraints = [
            # At most one live invitation per dossier: re-sending must revoke the previous link first.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="dossier_invitation_one_live",
            )
        ]


class AuditEntry(models.Model):
    """Who did what to a dossier, kept with the firm. Entries survive the dossier (it may move firms)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit")
    enterprise_number = models.CharField(max_length=10, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False
    )
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]


class ContactKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")


class Contact(models.Model):
    """A customer or supplier of a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    reference = models.CharField(_("own reference"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    email = models.EmailField(_("email"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="nl")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "vat_number"],
                condition=~Q(vat_number=""),
                name="contact_vat_unique",
                violation_error_message=_("This dossier already has a contact with this VAT number."),
            ),
            models.UniqueConstraint(
                fields=["dossier", "kind", "reference"],
                condition=~Q(reference=""),
                name="contact_reference_unique",
                violation_error_message=_("This dossier already has a contact with this reference."),
            ),
            models.CheckConstraint(condition=Q(kind__in=ContactKind.values), name="contact_kind_valid"),
        ]

    def __str__(self):
        return self.name


class Product(models.Model):
    """A product or service a dossier sells, with its default price and VAT rate."""

    class VatRate(models.TextChoices):
        STANDARD = "21", "21%"
        REDUCED = "12", "12%"
        LOW = "6", "6%"
        ZERO = "0", "0%"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="products")
    reference = models.CharField(_("own reference"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=3, default="C62", help_text=_("UN/ECE rec 20 code, e.g. C62, HUR"))
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4, default=Decimal("0"))
    vat_rate = models.CharField(_("VAT rate"), max_length=2, choices=VatRate.choices, default=VatRate.STANDARD)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "reference"],
                name="product_reference_unique",
                violation_error_message=_("This dossier already has a product with this reference."),
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self):
        return self.name
