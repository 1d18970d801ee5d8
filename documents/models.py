"""Firm-schema models: sales and purchase documents (the stored UBL and what was read from it) and the
validation findings of each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier


class Direction(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASE = "purchase", _("Purchase")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    NEEDS_ATTENTION = "attention", _("Needs attention")
    EXPORTED = "exported", _("Exported")


class Document(models.Model):
    """An invoice or credit note of a dossier. A final document's UBL bytes never change (sha256 kept)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    is_credit_note = models.BooleanField(_("credit note"), default=False)
    number = models.CharField(_("number"), max_length=100)
    issue_date = models.DateField(_("invoice date"), null=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    counterparty_name = models.CharField(_("counterparty"), max_length=200, blank=True)
    counterparty_vat = models.CharField(_("counterparty VAT number"), max_length=20, blank=True)
    counterparty_number = models.CharField(_("counterparty enterprise number"), max_length=10, blank=True)
    tax_exclusive = models.DecimalField(_("total excl. VAT"), max_digits=14, decimal_places=2)
    tax_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    payable = models.DecimalField(_("amount due"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices)
    is_valid = models.BooleanField(_("passes the rules"), default=False)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    duplicate_confirmed = models.BooleanField(default=False)  # someone said "not a duplicate"
    wrong_buyer = models.BooleanField(default=False)  # addressed to another company than the dossier
    ubl = models.FileField(upload_to="documents/", max_length=300)
    ubl_sha256 = models.CharField(max_length=64)
    ubl_size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", db_constraint=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    exported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        constraints = [
            # The same file twice in one dossier is the same document.
            models.UniqueConstraint(fields=["dossier", "ubl_sha256"], name="document_same_file_once"),
            models.CheckConstraint(condition=Q(status__in=DocumentStatus.values), name="document_status_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="document_direction_valid"),
        ]
        indexes = [models.Index(fields=["dossier", "direction", "issue_date"])]

    def __str__(self):
        return self.number

    @property
    def held_back(self) -> bool:
        """Never exported while it fails the rules, is a probable duplicate, or belongs to another company."""
        return not self.is_valid or self.wrong_buyer or (self.duplicate_of_id is not None
                                                          and not self.duplicate_confirmed)


class Finding(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="findings")
    layer = models.CharField(max_length=10)
    rule = models.CharField(max_length=60)
    flag = models.CharField(max_length=10)
    message = models.TextField()
    location = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
