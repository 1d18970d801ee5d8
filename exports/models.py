"""Firm-schema models: each dossier's export settings, the entrepreneur's submissions, and export batches
with their items (one file each, for one target path)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from dossiers.models import Dossier
from firms.models import user_reference


class Policy(models.TextChoices):
    NEVER = "never", _("Never (only by hand)")
    LAST_FULL_MONTH = "month", _("Last full month (recommended)")
    AFTER_TEN_MINUTES = "minutes", _("After 10 minutes")


class BobReferenceRule(models.TextChoices):
    NONE = "none", _("None: set by hand per dossier")
    ENTERPRISE_NUMBER = "enterprise_number", _("The enterprise number")
    SHEET = "sheet", _("The dossier sheet's column")


# The settings a firm chooses defaults for; a dossier follows the firm's default for each of them unless it has
# its own value (listed in `ExportSettings.own_fields`).
DEFAULTED_FIELDS = ("policy", "needs_approval", "lock_after_export", "name_by_invoice_date", "export_uploaded_coda")


class ExportDefaults(models.Model):
    """The firm's defaults for its dossiers' export settings: one row per firm schema (pk 1). New dossiers take
    them; dossiers that follow a default change with it."""

    policy = models.CharField(_("export policy"), max_length=8, choices=Policy.choices, default=Policy.LAST_FULL_MONTH)
    needs_approval = models.BooleanField(_("only after the entrepreneur's approval"), default=False)
    lock_after_export = models.BooleanField(_("lock documents after export"), default=True)
    name_by_invoice_date = models.BooleanField(_("name files by invoice date"), default=False)
    export_uploaded_coda = models.BooleanField(_("also export uploaded CODA statements"), default=False)
    bob_reference_rule = models.CharField(
        _("Sage BOB reference of new dossiers"),
        max_length=20,
        choices=BobReferenceRule.choices,
        default=BobReferenceRule.NONE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="export_defaults_single_row"),
            models.CheckConstraint(condition=Q(policy__in=Policy.values), name="export_defaults_policy_valid"),
            models.CheckConstraint(
                condition=Q(bob_reference_rule__in=BobReferenceRule.values), name="export_defaults_bob_rule_valid"
            ),
        ]

    @classmethod
    def current(cls) -> "ExportDefaults":
        """The firm's defaults (the built-in ones, unsaved, until an owner saves them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def values(self) -> dict:
        return {name: getattr(self, name) for name in DEFAULTED_FIELDS}


# The policies' names on the command line and in the dossier sheet (besides the drop-down's words).
POLICY_ARGUMENTS = {
    "never": Policy.NEVER,
    "last_month": Policy.LAST_FULL_MONTH,
    "after_10_minutes": Policy.AFTER_TEN_MINUTES,
}


class ExportSettings(models.Model):
    """How and where a dossier's documents leave. A dossier without a row has the firm's defaults and no BOB
    reference (so nothing of it is queued)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="export_settings")
    policy = models.CharField(_("export policy"), max_length=8, choices=Policy.choices, default=Policy.LAST_FULL_MONTH)
    needs_approval = models.BooleanField(_("only after the entrepreneur's approval"), default=False)
    lock_after_export = models.BooleanField(_("lock documents after export"), default=True)
    bob_reference = models.CharField(_("Sage BOB dossier reference"), max_length=40, blank=True)
    purchases_folder = models.CharField(_("folder for purchases"), max_length=200, blank=True)
    sales_folder = models.CharField(_("folder for sales"), max_length=200, blank=True)
    coda_folder = models.CharField(_("folder for CODA"), max_length=200, blank=True)
    name_by_invoice_date = models.BooleanField(_("name files by invoice date"), default=False)
    # Statements uploaded by hand (any bank) go along too; KBC and Billbank accounts' statements always do.
    export_uploaded_coda = models.BooleanField(_("also export uploaded CODA statements"), default=False)
    # Names (of DEFAULTED_FIELDS) where the dossier has its own value instead of the firm's default.
    own_fields = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(policy__in=Policy.values), name="export_policy_valid")]

    def is_own(self, field: str) -> bool:
        return field in self.own_fields


class Submission(models.Model):
    """The entrepreneur handed documents over for export (dossiers with "only after approval"). Also the
    accountant's notification: unseen submissions show on the dashboard."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False
    )
    period_from = models.DateField(null=True, blank=True)
    period_until = models.DateField(null=True, blank=True)
    document_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Approval(models.Model):
    """One document or bank statement submitted by the entrepreneur; it may leave at the dossier's next policy
    run."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="approvals")
    document = models.OneToOneField(Document, on_delete=models.CASCADE, null=True, related_name="approval")
    statement = models.OneToOneField(
        "banking.CodaStatement", on_delete=models.CASCADE, null=True, related_name="approval"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=True) ^ Q(statement__isnull=True), name="approval_of_one_thing"
            )
        ]


class Trigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MANUAL = "manual", _("By hand")


class ExportBatch(models.Model):
    """One export run of one dossier, scheduled or by hand."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="export_batches")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    created_by = user_reference()
    created_at = models.DateTimeField(default=timezone.now)
    period_from = models.DateField(null=True, blank=True)
    period_until = models.DateField(null=True, blank=True)
    include_exported = models.BooleanField(default=False)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Kind(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASES = "purchases", _("Purchases")
    CODA = "coda", _("CODA")


class ItemState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


# Open: not delivered yet (waiting, or failed and waiting for someone to retry). At most one open item per
# document or statement and target path (the constraints below).
OPEN_STATES = [ItemState.WAITING, ItemState.FAILED]


class ExportItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def waiting(self):
        return self.filter(state=ItemState.WAITING)

    def failed(self):
        return self.filter(state=ItemState.FAILED)


class ExportItem(models.Model):
    """One file to deliver: stored bytes (never re-rendered), where they go, and what became of them. The id
    is the delivery order and the agents' cursor."""

    batch = models.ForeignKey(ExportBatch, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    statement = models.ForeignKey(
        "banking.CodaStatement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.CharField(_("target path"), max_length=600)
    file = models.CharField(max_length=300)  # storage name of the bytes to deliver
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    # Delivery: a short lease per attempt so that two agents never fetch the same item at once.
    lease_token = models.CharField(max_length=64, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.CharField(max_length=200, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error = models.TextField(blank=True)

    objects = ExportItemQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            # Never a second open item for the same document and target, however many runs race.
            models.UniqueConstraint(
                fields=["document", "path"], condition=Q(state__in=OPEN_STATES), name="export_item_open_once"
            ),
            models.UniqueConstraint(
                fields=["statement", "path"], condition=Q(state__in=OPEN_STATES), name="export_item_statement_open_once"
            ),
            models.CheckConstraint(condition=Q(state__in=ItemState.values), name="export_item_state_valid"),
        ]
        indexes = [
            models.Index(fields=["state", "id"], name="export_item_pending"),
            models.Index(fields=["document"], name="export_item_document"),
            models.Index(fields=["statement"], name="export_item_statement"),
            models.Index(fields=["dossier", "state"], name="export_item_dossier_state"),
        ]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
