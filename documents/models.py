"""Firm-schema models: sales and purchase documents (the stored UBL and what was read from it) and the
validation findings of each."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier
from firms.models import user_reference

from .units import counted_unit_label, unit_label


class Direction(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASE = "purchase", _("Purchase")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    NEEDS_ATTENTION = "attention", _("Needs attention")
    EXPORTED = "exported", _("Exported")


# What lets a final document leave: it passes the rules (or the firm released it with a reason: "export anyway"),
# is addressed to the dossier's company (or its buyer was identified by name), and is not a probable duplicate
# nobody has decided on. Everything else holds it back ("needs attention"). The one definition:
# `DocumentQuerySet`, `Document.is_clear` and `settle` read it.
CLEAR = (
    (Q(is_valid=True) | Q(released_at__isnull=False))
    & Q(wrong_buyer=False, buyer_unidentified=False)
    & (Q(duplicate_of__isnull=True) | Q(duplicate_confirmed=True))
)


def is_clear(
    *,
    is_valid: bool,
    wrong_buyer: bool,
    probable_duplicate: bool,
    buyer_unidentified: bool = False,
    released: bool = False,
) -> bool:
    """`CLEAR` for one document in memory (a probable duplicate: a copy nobody has decided on)."""
    return (is_valid or released) and not wrong_buyer and not buyer_unidentified and not probable_duplicate


class DocumentQuerySet(models.QuerySet["Document"]):
    def drafts(self) -> "DocumentQuerySet":
        return self.filter(status=DocumentStatus.DRAFT)

    def held_back(self) -> "DocumentQuerySet":
        """Final documents something holds back: not exported until someone decides."""
        return self.filter(status=DocumentStatus.NEEDS_ATTENTION)

    def deliverable(self) -> "DocumentQuerySet":
        """Final or exported and clear: the only documents that may ever leave."""
        return self.filter(CLEAR, status__in=[DocumentStatus.FINAL, DocumentStatus.EXPORTED])

    def awaiting_export(self) -> "DocumentQuerySet":
        """Deliverable documents not exported yet (a partial index keeps this cheap however long the history)."""
        return self.filter(CLEAR, status=DocumentStatus.FINAL)

    def counted(self) -> "DocumentQuerySet":
        """What the totals add up: neither drafts nor documents that need attention."""
        return self.exclude(status__in=[DocumentStatus.DRAFT, DocumentStatus.NEEDS_ATTENTION])

    def released(self):
        """Documents that fail the rules and leave anyway because the firm said so ("export anyway")."""
        return self.filter(released_at__isnull=False, is_valid=False)


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
    findings_total = models.PositiveIntegerField(default=0)  # all the rules' findings; at most a few are stored
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    duplicate_confirmed = models.BooleanField(default=False)  # someone said "not a duplicate"
    wrong_buyer = models.BooleanField(default=False)  # addressed to another company than the dossier
    # No buyer VAT number, enterprise number or endpoint, and a buyer name that is not the dossier's.
    buyer_unidentified = models.BooleanField(default=False)
    buyer_name = models.CharField(_("buyer"), max_length=200, blank=True)
    buyer_address = models.CharField(_("buyer's address"), max_length=300, blank=True)
    buyer_number = models.CharField(_("buyer's enterprise number"), max_length=10, blank=True)
    # "Export anyway": the firm let a document that fails the rules (but passes the UBL schema) leave, and why.
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = user_reference()
    released_reason = models.TextField(blank=True)
    ubl = models.FileField(upload_to="documents/", max_length=300, blank=True)
    ubl_sha256 = models.CharField(max_length=64, blank=True)  # empty while a draft
    ubl_size = models.PositiveIntegerField(default=0)
    pdf = models.FileField(upload_to="documents/", max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)  # of the PDF we rendered (sales documents)
    # Sales documents: what the editor keeps until finalising.
    # A draft's customer; a final document keeps the counterparty fields, so the contact may go.
    customer = models.ForeignKey("dossiers.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=2, default="nl")
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True)
    order_reference = models.CharField(_("order reference"), max_length=100, blank=True)
    payment_reference = models.CharField(_("structured communication"), max_length=24, blank=True)
    payment_iban = models.CharField(_("IBAN for payment"), max_length=34, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("corrected invoice")
    )
    original_name = models.CharField(max_length=255, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    # Set when the export delivers it in a dossier that locks after export: then nobody edits or deletes it.
    locked = models.BooleanField(_("locked"), default=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-pk"]
        constraints = [
            # The same file twice in one dossier is the same document.
            models.UniqueConstraint(
                fields=["dossier", "ubl_sha256"], condition=~Q(ubl_sha256=""), name="document_same_file_once"
            ),
            # Gap-free numbering: one number per dossier, direction and kind for final sales documents.
            models.UniqueConstraint(
                fields=["dossier", "is_credit_note", "number"],
                condition=Q(direction="sales") & ~Q(status="draft"),
                name="document_sales_number_once",
            ),
            models.CheckConstraint(condition=Q(status__in=DocumentStatus.values), name="document_status_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="document_direction_valid"),
        ]
        indexes = [
            models.Index(fields=["dossier", "direction", "issue_date"]),
            # What the export run and the dashboard look for: final documents not exported yet.
            models.Index(fields=["dossier", "issue_date"], condition=Q(status="final"), name="document_pending"),
            # The probable-duplicate check on import: same number in the dossier.
            models.Index(fields=["dossier", "number"], name="document_number"),
        ]

    def __str__(self):
        return self.number

    @property
    def deletable(self) -> bool:
        """Drafts, and received documents an export has not locked (final sales documents keep their number)."""
        return not self.locked and (self.status == DocumentStatus.DRAFT or self.direction == Direction.PURCHASE)

    @property
    def is_probable_duplicate(self) -> bool:
        return self.duplicate_of_id is not None and not self.duplicate_confirmed

    @property
    def is_clear(self) -> bool:
        return is_clear(
            is_valid=self.is_valid,
            wrong_buyer=self.wrong_buyer,
            probable_duplicate=self.is_probable_duplicate,
            buyer_unidentified=self.buyer_unidentified,
            released=self.released_at is not None,
        )

    @staticmethod
    def settled_status(**state) -> str:
        """A final received document's status: final when clear (`is_clear`'s arguments), else needs attention."""
        return DocumentStatus.FINAL if is_clear(**state) else DocumentStatus.NEEDS_ATTENTION

    @property
    def held_back(self) -> bool:
        """Final, but never exported while it fails the rules, is a probable duplicate, or belongs to another
        company."""
        return self.status == DocumentStatus.NEEDS_ATTENTION

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT

    @property
    def can_be_kept(self) -> bool:
        """Held for a reason a person can overrule ("keep it"): another company's, a buyer not identified, or a
        probable copy."""
        return self.wrong_buyer or self.buyer_unidentified or self.is_probable_duplicate

    @property
    def is_received(self) -> bool:
        return self.direction == Direction.PURCHASE

    @property
    def can_be_moved(self) -> bool:
        """A received document not exported yet may go to another dossier of the firm (whatever holds it)."""
        return self.is_received and not self.locked and self.status != DocumentStatus.EXPORTED

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def held_for_rules(self) -> bool:
        """Held back because it fails the rules and nobody released it: "export anyway" is the firm's answer,
        when the UBL schema passes (see `documents.release`)."""
        return self.held_back and self.is_received and not self.is_valid and not self.is_released


class DocumentLine(models.Model):
    """A line of a sales document being edited; finalising turns the lines into UBL."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("description"), max_length=1000)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=3, default="C62")
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)
    discount_percent = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, default=0)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=2, default=21)
    vat_category = models.CharField(_("VAT category"), max_length=2, default="S")

    class Meta:
        ordering = ["position"]

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

    @property
    def counted_unit_label(self) -> str:
        """The unit after this line's quantity, singular or plural."""
        return counted_unit_label(self.unit, self.quantity)


class DocumentAllowanceCharge(models.Model):
    """A document-level allowance (a discount on the whole invoice) or charge (transport, packaging) of a sales
    document being edited, in one VAT category; finalising puts it in the UBL."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="allowances_charges")
    position = models.PositiveSmallIntegerField()
    is_charge = models.BooleanField(_("charge"))
    reason = models.CharField(_("reason"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=2, default=21)
    vat_category = models.CharField(_("VAT category"), max_length=2, default="S")

    class Meta:
        ordering = ["position"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_charge_positive")]


class NumberSequence(models.Model):
    """The last number given per dossier, year and kind; taken under a row lock, in the finalising
    transaction, so numbers have no gaps and no repeats."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    is_credit_note = models.BooleanField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "year", "is_credit_note"], name="sequence_once")]


class InboxItem(models.Model):
    """Quick entry: a PDF or image waiting for someone to enter its header fields; then it becomes a purchase
    document whose UBL embeds the file."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="inbox")
    file = models.FileField(upload_to="inbox/", max_length=300)
    content_type = models.CharField(max_length=40)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255)
    uploaded_by = user_reference()
    created_at = models.DateTimeField(default=timezone.now)
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["dossier", "sha256"], name="inbox_same_file_once")]


class Finding(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="findings")
    layer = models.CharField(max_length=10)
    rule = models.CharField(max_length=60)
    flag = models.CharField(max_length=10)
    message = models.TextField()
    location = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]


class Upload(models.Model):
    """Files received together on the Documents tab: stored at once, checked and imported by a worker
    (documents.tasks.check_upload), so that no web request waits for the rules."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="uploads")
    created_by = user_reference()
    created_at = models.DateTimeField(default=timezone.now)
    total = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class UploadFile(models.Model):
    """One file of an upload; `outcome` is empty while it waits for its check."""

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    stored = models.CharField(max_length=300, blank=True)  # in the default storage until checked
    outcome = models.CharField(max_length=10, blank=True)  # imported, duplicate, refused
    message = models.TextField(blank=True)
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["position"]
