"""Firm-schema models: a dossier's bank accounts and how they are connected, the CODA files received, the
statements they hold (each with its own original bytes) and their movements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.identifiers import format_iban
from dossiers.models import Dossier


class Connection(models.TextChoices):
    KBC = "kbc", _("KBC")
    BILLBANK = "billbank", _("Billbank")
    UPLOAD = "upload", _("Upload by hand")


# Only these connections deliver CODA to the accountant's software (the export engine reads `delivers_coda`).
CODA_CONNECTIONS = (Connection.KBC, Connection.BILLBANK)


class Source(models.TextChoices):
    UPLOAD = "upload", _("Upload")
    BANK = "bank", _("Bank connection")
    COMMAND = "command", _("Command line")


class BankAccount(models.Model):
    """A bank account of a dossier. An IBAN belongs to one dossier of the firm (per currency)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="bank_accounts")
    iban = models.CharField(_("IBAN"), max_length=34)  # compact; a foreign non-IBAN number as the bank wrote it
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    connection = models.CharField(_("connection"), max_length=10, choices=Connection.choices, default=Connection.UPLOAD)
    connected_since = models.DateTimeField(_("CODA since"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["iban"]
        constraints = [
            models.UniqueConstraint(
                fields=["iban", "currency"],
                name="bank_account_once",
                violation_error_message=_("This account is already known in this firm."),
            ),
            models.CheckConstraint(condition=Q(connection__in=Connection.values), name="bank_account_connection"),
        ]

    def __str__(self):
        return self.iban_display

    @property
    def iban_display(self) -> str:
        try:
            return format_iban(self.iban)
        except Exception:  # a foreign number that is not an IBAN
            return self.iban

    @property
    def delivers_coda(self) -> bool:
        """CODA of this account goes to the accountant's software (connected through KBC or Billbank)."""
        return self.connection in CODA_CONNECTIONS

    @property
    def statement_export(self) -> str:
        """Whether and why its statements are exported (`exports.policies.statement_export`); needs the
        `exports_uploaded` annotation of `banking.services.accounts_with_status`."""
        from exports.policies import statement_export

        return statement_export(self.connection, getattr(self, "exports_uploaded", False))


class CodaFile(models.Model):
    """A CODA file as received (upload, bank connection, command): its sha256 recognises the same file twice.
    The statements keep the bytes; the file keeps where they came from."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="coda_files")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sha256"], name="coda_file_once")]


class CodaStatement(models.Model):
    """One bank statement: its own original CODA bytes (header to trailer) and what was read from them. One per
    account, year and statement number: the database refuses a second."""

    account = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="statements")
    coda_file = models.ForeignKey(CodaFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    date = models.DateField(_("date"))  # the new balance's date
    old_balance = models.DecimalField(_("old balance"), max_digits=18, decimal_places=3)
    old_balance_date = models.DateField()
    new_balance = models.DecimalField(_("new balance"), max_digits=18, decimal_places=3)
    total_debit = models.DecimalField(max_digits=18, decimal_places=3)
    total_credit = models.DecimalField(max_digits=18, decimal_places=3)
    movement_count = models.PositiveIntegerField(_("movements"))
    file = models.FileField(upload_to="coda/", max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year", "number"], name="coda_statement_once"),
        ]

    def __str__(self):
        return f"{self.year}/{self.number:03d}"


class Movement(models.Model):
    """A movement of a statement (CODA types 0-3; details of globalised amounts are counted, not kept)."""

    statement = models.ForeignKey(CodaStatement, on_delete=models.CASCADE, related_name="movements")
    sequence = models.PositiveIntegerField()
    entry_date = models.DateField(_("date"), null=True)
    value_date = models.DateField(_("value date"), null=True)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=3)
    counterparty_name = models.CharField(_("counterparty"), max_length=70, blank=True)
    counterparty_account = models.CharField(_("counterparty's account"), max_length=34, blank=True)
    communication = models.CharField(_("communication"), max_length=300, blank=True)
    structured = models.BooleanField(default=False)
    transaction_code = models.CharField(max_length=8)
    bank_reference = models.CharField(max_length=21, blank=True)

    class Meta:
        ordering = ["sequence"]

    @property
    def communication_display(self) -> str:
        from .coda import format_structured

        return format_structured(self.communication) if self.structured else self.communication
