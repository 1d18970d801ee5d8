"""Link requests: a firm asks for the dossier another firm keeps for the same enterprise number; the
entrepreneur accepts or declines. On acceptance the dossier and all its data move to the asking firm in
one transaction, and the old firm keeps nothing but an audit entry.

The two firms live in different schemas of one database, so one transaction covers both.
"""

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.errors import ErrorCode, PortalError
from firms.models import DirectoryEntry, DossierAccess, Firm, LinkRequest, User

from .models import AuditEntry, Contact, Dossier, Product

LINK_REQUEST_LIFETIME = timedelta(days=14)
LANDING_MESSAGE_WINDOW = timedelta(minutes=10)  # how long after accepting the landing page explains the move
# Apps that keep data per dossier register a mover here (in their AppConfig.ready):
# mover(from_schema, old_dossier_id, to_schema, new_dossier_id) -> number of records moved.
DATA_MOVERS: dict[str, Callable[[str, int, str, int], int]] = {}
# Fields of the dossier that travel with it; the assigned staff member belongs to the old firm and stays.
MOVED_FIELDS = (
    "name",
    "legal_form",
    "street",
    "postal_code",
    "city",
    "country",
    "email",
    "language",
    "status",
    "invited_at",
    "activated_at",
    "trial_ends_at",
    "last_activity_at",
    "created_at",
)


def holder_of(firm: Firm, enterprise_number: str) -> DirectoryEntry | None:
    """The other firm's directory entry for this number whose dossier has an entrepreneur account."""
    entries = DirectoryEntry.objects.filter(enterprise_number=enterprise_number).exclude(firm=firm)
    for entry in entries.select_related("firm"):
        if DossierAccess.objects.filter(firm=entry.firm, dossier_id=entry.dossier_id).exists():
            return entry
    return None


def request_link(firm: Firm, dossier: Dossier, actor: User) -> tuple[LinkRequest, list[User]]:
    """Ask the entrepreneur to move their dossier to `firm`. Returns the request and the entrepreneurs to
    notify. Refuses when no other firm holds an account for the number, or a request is already pending."""
    entry = holder_of(firm, dossier.enterprise_number)
    if entry is None:
        raise PortalError(_("No account exists elsewhere for this enterprise number."), code=ErrorCode.NOT_FOUND)
    now = timezone.now()
    if LinkRequest.objects.filter(
        to_firm=firm, enterprise_number=dossier.enterprise_number, state=LinkRequest.State.PENDING, expires_at__gt=now
    ).exists():
        raise PortalError(
            _("A link request for this dossier is already waiting for the entrepreneur."), code=ErrorCode.DUPLICATE
        )
    with transaction.atomic():
        # An expired pending request no longer blocks a new one.
        LinkRequest.objects.filter(
            to_firm=firm, enterprise_number=dossier.enterprise_number, state=LinkRequest.State.PENDING
        ).update(state=LinkRequest.State.DECLINED, decided_at=now)
        link = LinkRequest.objects.create(
            enterprise_number=dossier.enterprise_number,
            from_firm=entry.firm,
            from_dossier_id=entry.dossier_id,
            to_firm=firm,
            to_dossier_id=dossier.pk,
            requested_by=actor,
            expires_at=now + LINK_REQUEST_LIFETIME,
        )
        AuditEntry.objects.create(
            dossier=dossier, enterprise_number=dossier.enterprise_number, actor=actor, action="link_requested"
        )
    users = list(User.objects.filter(dossier_accesses__firm=entry.firm, dossier_accesses__dossier_id=entry.dossier_id))
    return link, users


def waiting_request(firm: Firm, dossier: Dossier) -> LinkRequest | None:
    """The link request `firm` sent for this dossier that still waits for the entrepreneur, if any."""
    return (
        LinkRequest.objects.filter(
            to_firm=firm,
            enterprise_number=dossier.enterprise_number,
            state=LinkRequest.State.PENDING,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )


def pending_for(user: User, firm: Firm) -> list[LinkRequest]:
    """Link requests waiting for this entrepreneur's answer about their dossiers at `firm`."""
    ids = DossierAccess.objects.filter(user=user, firm=firm).values("dossier_id")
    return list(
        LinkRequest.objects.filter(
            from_firm=firm, from_dossier_id__in=ids, state=LinkRequest.State.PENDING, expires_at__gt=timezone.now()
        ).select_related("to_firm")
    )


def just_accepted(link_id: int, user: User, firm: Firm) -> LinkRequest | None:
    """The request this entrepreneur accepted a moment ago that moved a dossier to `firm` (for the message on
    landing there), or None."""
    return (
        LinkRequest.objects.filter(
            pk=link_id,
            to_firm=firm,
            decided_by=user,
            state=LinkRequest.State.ACCEPTED,
            decided_at__gt=timezone.now() - LANDING_MESSAGE_WINDOW,
        )
        .select_related("from_firm")
        .first()
    )


def decide(link_id: int, user: User, firm: Firm, *, accept: bool) -> LinkRequest:
    """The entrepreneur's answer. Only someone with access to the dossier may answer; a request answers once
    and not after it expired. Accepting moves the dossier (see `move_dossier`)."""
    link = next((item for item in pending_for(user, firm) if item.pk == link_id), None)
    if link is None:
        raise PortalError(_("This request is no longer open."), code=ErrorCode.EXPIRED)
    now = timezone.now()
    state = LinkRequest.State.ACCEPTED if accept else LinkRequest.State.DECLINED
    with transaction.atomic():
        claimed = LinkRequest.objects.filter(pk=link.pk, state=LinkRequest.State.PENDING, expires_at__gt=now).update(
            state=state, decided_at=now, decided_by=user
        )
        if claimed != 1:
            raise PortalError(_("This request is no longer open."), code=ErrorCode.EXPIRED)
        if accept:
            move_dossier(link, user)
    link.refresh_from_db()
    return link


def _rows(queryset, exclude=("id", "dossier")) -> list[dict]:
    fields = [f.attname for f in queryset.model._meta.concrete_fields if f.name not in exclude]
    return list(queryset.values(*fields))


def move_dossier(link: LinkRequest, user: User) -> None:
    """Move the old firm's dossier with its contacts, products and entrepreneurs into the asking firm's
    dossier, then delete it from the old firm. Call inside a transaction."""
    with schema_context(link.from_firm.schema_name):
        old = Dossier.objects.select_for_update().get(pk=link.from_dossier_id)
        values = {name: getattr(old, name) for name in MOVED_FIELDS}
        contacts = _rows(Contact.objects.filter(dossier=old))
        products = _rows(Product.objects.filter(dossier=old))
    with schema_context(link.to_firm.schema_name):
        target = Dossier.objects.select_for_update().get(pk=link.to_dossier_id)
        for name, value in values.items():
            setattr(target, name, value)
        target.save()
        # The asking firm may already have entered some contacts: theirs win on a clash of VAT number or
        # reference (unique per dossier), the rest arrive.
        Contact.objects.bulk_create([Contact(dossier=target, **row) for row in contacts], ignore_conflicts=True)
        Product.objects.bulk_create([Product(dossier=target, **row) for row in products], ignore_conflicts=True)
        detail = {"contacts": len(contacts), "products": len(products)}
    for name, mover in DATA_MOVERS.items():
        detail[name] = mover(link.from_firm.schema_name, old.pk, link.to_firm.schema_name, target.pk)
    with schema_context(link.to_firm.schema_name):
        AuditEntry.objects.create(
            dossier=target, enterprise_number=target.enterprise_number, actor=user, action="moved_in", detail=detail
        )
    DossierAccess.objects.filter(firm=link.from_firm, dossier_id=old.pk).update(firm=link.to_firm, dossier_id=target.pk)
    DirectoryEntry.objects.filter(firm=link.from_firm, dossier_id=old.pk).delete()
    with schema_context(link.from_firm.schema_name):
        AuditEntry.objects.create(
            dossier=None,
            enterprise_number=old.enterprise_number,
            actor=user,
            action="moved_out",
            detail={"name": old.name},
        )
        old.delete()
