"""Public-schema models: firms (tenants) and their hosts, users, memberships (staff and entrepreneurs),
the enterprise-number directory, staff invitations and one-time login hand-offs between hosts."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .tokens import SingleUse, SingleUseQuerySet


class Firm(TenantMixin):
    """An accounting firm. Each firm has its own PostgreSQL schema holding its dossiers."""

    name = models.CharField(_("firm name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=40, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=14, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        verbose_name = _("firm")
        verbose_name_plural = _("firms")

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"


class Domain(DomainMixin):
    """A host name that reaches a firm: the default `<slug>.<PORTAL_DOMAIN>` and optional custom host."""

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, password_hash="", **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password_hash:  # hashed earlier (sign-up hashes at its first step): not hashed a second time
            user.password = password_hash
        else:
            user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, *, password_hash="", **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, password_hash, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: accountant, firm staff or entrepreneur. One email and one password platform-wide."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="nl")
    is_staff = models.BooleanField(_("platform operator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


def user_reference(verbose_name: Any = None) -> "models.ForeignKey[Any, Any]":
    """A firm-schema record's link to a user (users live in the public schema, so no database constraint); the
    record stays when the user goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )


def recorded_user(actor: "User | None") -> "User | None":
    """The user to record as the author of something: None for nobody and for anonymous visitors."""
    return actor if actor is not None and actor.is_authenticated else None


class Membership(models.Model):
    """A user working at a firm, as its owner or as staff."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "firm"], name="membership_user_firm_unique"),
            models.CheckConstraint(condition=models.Q(role__in=["owner", "staff"]), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.firm} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class StaffInvitation(SingleUse, models.Model):
    """An owner's invitation for someone to join the firm as staff. Only the token's hash is stored."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="staff_invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    USED_FIELD = "accepted_at"
    objects = SingleUseQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self):
        return f"{self.email} → {self.firm}"


class LoginHandoff(models.Model):
    """A single-use, short-lived ticket that logs a user in on a firm's host after they signed up or
    logged in on the public host (session cookies are per host). Only the token's hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class DossierAccess(models.Model):
    """An entrepreneur's access to one dossier of a firm. Kept in the public schema so that the one
    isolation check (`can_enter`) and the public login need no schema switch."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="dossier_accesses")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="dossier_accesses")
    dossier_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("entrepreneur access")
        verbose_name_plural = _("entrepreneur accesses")
        constraints = [
            models.UniqueConstraint(fields=["user", "firm", "dossier_id"], name="dossier_access_unique"),
        ]


class DirectoryEntry(models.Model):
    """Which firm keeps a dossier for an enterprise number: lets a firm learn that a client already has an
    account elsewhere on the platform, without learning which firm."""

    enterprise_number = models.CharField(max_length=10, db_index=True)
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="directory_entries")
    dossier_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints = [
            models.UniqueConstraint(fields=["firm", "enterprise_number"], name="directory_firm_number_unique"),
            models.UniqueConstraint(fields=["firm", "dossier_id"], name="directory_firm_dossier_unique"),
        ]


class LinkRequest(models.Model):
    """A firm asks to take over the dossier another firm keeps for the same enterprise number. The
    entrepreneur decides; on acceptance the dossier with all its data moves (dossiers.linking)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    enterprise_number = models.CharField(max_length=10)
    from_firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")  # keeps the dossier now
    from_dossier_id = models.BigIntegerField()
    to_firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")  # asks for it
    to_dossier_id = models.BigIntegerField()
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["to_firm", "enterprise_number"],
                condition=models.Q(state="pending"),
                name="link_request_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "declined"]), name="link_request_state_valid"
            ),
        ]
