"""Firms, sign-up, access to a firm's host, hand-off between hosts and staff invitations.

Plain functions called by views, management commands and tests alike. They raise `PortalError`
(with a translated message) for anything a user can get wrong.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.models import TenantMixin
from django_tenants.signals import post_schema_sync

from core.errors import ErrorCode, PortalError

from .models import Domain, DossierAccess, Firm, LoginHandoff, Membership, StaffInvitation, User
from .template import copy_template, ensure_template, match_constraint_names
from .tenancy import use_public_schema
from .tokens import hash_token, new_token

# Host labels that must never become a firm's slug: infrastructure, the platform's own pages, mail.
RESERVED_SLUGS = frozenset(
    """www www1 www2 api admin static media mail email smtp imap pop pop3 ftp sftp webmail mx ns ns1 ns2
    public app apps portal help support status docs doc blog billsync sync auth login logout signup
    account accounts dashboard assets cdn dev test staging demo-firm root system postgres redis""".split()
)
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
HANDOFF_LIFETIME = timedelta(minutes=2)
STAFF_INVITATION_LIFETIME = timedelta(days=7)


def check_slug(slug: str) -> str:
    """Return the slug if it can become a new firm's host label; refuse reserved, malformed and taken ones."""
    slug = (slug or "").strip().lower()
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise PortalError(
            _("Use 3 to 40 lowercase letters, digits or hyphens, starting and ending with a letter or digit."),
            field="slug",
            code=ErrorCode.INVALID,
        )
    if slug in RESERVED_SLUGS:
        raise PortalError(
            _("“%(slug)s” is reserved. Please choose another web address.") % {"slug": slug},
            "slug",
            code=ErrorCode.RESERVED,
        )
    if Firm.objects.filter(slug=slug).exists() or Domain.objects.filter(domain=firm_host(slug)).exists():
        raise PortalError(
            _("“%(slug)s” is already taken. Please choose another web address.") % {"slug": slug},
            "slug",
            code=ErrorCode.TAKEN,
        )
    return slug


def firm_host(slug: str) -> str:
    return f"{slug}.{settings.PORTAL_DOMAIN}"


def schema_name_for(slug: str) -> str:
    return "firm_" + slug.replace("-", "_")


@dataclass(frozen=True)
class NewFirm:
    name: str
    slug: str
    enterprise_number: str
    owner_name: str
    owner_email: str
    owner_password: str
    owner_language: str = "nl"


def create_firm(data: NewFirm, *, password_hash: str = "") -> tuple[Firm, User]:
    """Create the firm's schema (a copy of the template schema), its default host and its owner, all or
    nothing. The owner's password is `data.owner_password`, or `password_hash` when it was hashed before."""
    slug = check_slug(data.slug)
    email = data.owner_email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise PortalError(
            _("An account with this email address already exists. Please log in instead."),
            "email",
            code=ErrorCode.ACCOUNT_EXISTS,
        )
    ensure_template()
    try:
        with transaction.atomic():
            firm = Firm(
                schema_name=schema_name_for(slug),
                name=data.name.strip(),
                slug=slug,
                enterprise_number=data.enterprise_number,
                legal_name=data.name.strip(),
            )
            firm.auto_create_schema = False  # the schema is made below, inside this transaction
            firm.save(verbosity=0)
            if not copy_template(firm.schema_name):
                firm.create_schema(check_if_exists=True, verbosity=0)  # django-tenants' clone (settings.py)
                match_constraint_names(firm.schema_name)
            use_public_schema()
            post_schema_sync.send(sender=TenantMixin, tenant=firm.serializable_fields())
            Domain.objects.create(domain=firm_host(slug), tenant=firm, is_primary=True)
            owner = User.objects.create_user(
                email=email,
                password=data.owner_password,
                password_hash=password_hash,
                full_name=data.owner_name.strip(),
                language=data.owner_language,
            )
            Membership.objects.create(user=owner, firm=firm, role=Membership.Role.OWNER)
    except IntegrityError:
        # Two sign-ups raced for the same slug or email: the database kept one.
        raise PortalError(
            _("This web address or email address was just taken. Please try again."), "slug", code=ErrorCode.TAKEN
        ) from None
    return firm, owner


def membership_of(user: User, firm: Firm) -> Membership | None:
    if not user.is_authenticated or firm.is_public:
        return None
    return Membership.objects.filter(user=user, firm=firm).first()


def firms_of(user: User) -> list[Firm]:
    """Firms whose host this user may use: as owner or staff, or as entrepreneur of one of its dossiers."""
    return list(
        Firm.objects.filter(Q(memberships__user=user) | Q(dossier_accesses__user=user))
        .exclude(schema_name="public")
        .distinct()
        .order_by("name")
    )


def can_enter(user: User, firm: Firm) -> bool:
    """Whether the user may be logged in on this firm's hosts (its staff; entrepreneurs of its dossiers)."""
    if not user.is_authenticated or not user.is_active or firm.is_public:
        return False
    return (
        Membership.objects.filter(user=user, firm=firm).exists()
        or DossierAccess.objects.filter(user=user, firm=firm).exists()
    )


def firm_url(firm: Firm, request, path: str = "/") -> str:
    """Absolute URL on the firm's primary host, keeping the scheme and port the request came in on."""
    domain = firm.get_primary_domain()
    return f"{request.scheme}://{_netloc(domain.domain if domain else firm_host(firm.slug), request)}{path}"


def _netloc(host: str, request) -> str:
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    return host if port in ("", default_port) else f"{host}:{port}"


def link_netloc(firm: Firm, request) -> str:
    """Where links in mails to the firm's people point: the firm's own (custom) host when it has one, else its
    primary host; with the request's port when it is not the default one."""
    custom = (
        Domain.objects.filter(tenant=firm, is_primary=False).order_by("-pk").values_list("domain", flat=True).first()
    )
    if custom is None:
        domain = firm.get_primary_domain()
        custom = domain.domain if domain else firm_host(firm.slug)
    return _netloc(custom, request)


def link_url(firm: Firm, request, path: str = "/") -> str:
    """Absolute URL for a link in a mail (invitation, activation, link request, password reset, team invitation):
    on the firm's custom host when it has one (see link_netloc)."""
    return f"{request.scheme}://{link_netloc(firm, request)}{path}"


def issue_handoff(user: User, firm: Firm) -> str:
    """Create a single-use ticket that logs `user` in on `firm`'s host within two minutes; return the raw token."""
    if not can_enter(user, firm):
        raise PortalError(_("This account has no access to that firm."), code=ErrorCode.FORBIDDEN)
    raw, digest = new_token()
    LoginHandoff.objects.create(user=user, firm=firm, token_hash=digest, expires_at=timezone.now() + HANDOFF_LIFETIME)
    return raw


def redeem_handoff(raw: str, firm: Firm) -> User:
    """Consume a hand-off ticket for this firm. Refuses unknown, used, expired and other firms' tickets."""
    now = timezone.now()
    claimed = LoginHandoff.objects.filter(
        token_hash=hash_token(raw), firm=firm, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        raise PortalError(_("This login link is no longer valid. Please log in again."), code=ErrorCode.EXPIRED)
    user = LoginHandoff.objects.select_related("user").get(token_hash=hash_token(raw)).user
    if not can_enter(user, firm):
        raise PortalError(_("This login link is no longer valid. Please log in again."), code=ErrorCode.EXPIRED)
    return user


def invite_staff(firm: Firm, email: str, invited_by: User) -> tuple[StaffInvitation, str]:
    """Record an invitation to join `firm` as staff; return it with the raw token for the link.

    Refuses people who are already members. A new invitation to the same address revokes earlier ones.
    """
    email = email.strip().lower()
    if Membership.objects.filter(firm=firm, user__email__iexact=email).exists():
        raise PortalError(
            _("%(email)s is already a member of this firm.") % {"email": email}, "email", code=ErrorCode.ALREADY_MEMBER
        )
    raw, digest = new_token()
    now = timezone.now()
    with transaction.atomic():
        StaffInvitation.objects.filter(
            firm=firm, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = StaffInvitation.objects.create(
            firm=firm,
            email=email,
            token_hash=digest,
            invited_by=invited_by,
            expires_at=now + STAFF_INVITATION_LIFETIME,
        )
    return invitation, raw


def find_staff_invitation(raw: str, firm: Firm) -> StaffInvitation:
    invitation = StaffInvitation.objects.filter(token_hash=hash_token(raw), firm=firm).first()
    if invitation is None or not invitation.is_usable:
        raise PortalError(
            _("This invitation is no longer valid. Ask the firm's owner for a new one."), code=ErrorCode.EXPIRED
        )
    return invitation


def accept_staff_invitation(
    invitation: StaffInvitation, *, full_name: str = "", password: str = "", language: str = "nl"
) -> User:
    """Join the firm as staff. A new person gets an account with `password`; someone who already has an
    account (same email) joins with it. The invitation can be used once."""
    now = timezone.now()
    with transaction.atomic():
        if not StaffInvitation.objects.claim(invitation.pk, now):
            raise PortalError(
                _("This invitation is no longer valid. Ask the firm's owner for a new one."), code=ErrorCode.EXPIRED
            )
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name.strip(), language=language
            )
        Membership.objects.get_or_create(user=user, firm=invitation.firm, defaults={"role": Membership.Role.STAFF})
    return user


def remove_staff(firm: Firm, membership_id: int, acting: User) -> None:
    """Remove a staff member from the firm; the owner cannot be removed this way."""
    membership = Membership.objects.filter(pk=membership_id, firm=firm).first()
    if membership is None:
        raise PortalError(_("This team member does not exist."), code=ErrorCode.NOT_FOUND)
    if membership.is_owner:
        raise PortalError(_("The owner cannot be removed from the firm."), code=ErrorCode.FORBIDDEN)
    membership.delete()


def ensure_public_site() -> Firm:
    """Create the public tenant and its hosts (PORTAL_DOMAIN and PUBLIC_HOSTS) if missing. Idempotent."""
    public, _created = Firm.objects.get_or_create(
        schema_name="public", defaults={"name": "Public site", "slug": "public"}
    )
    for index, host in enumerate([settings.PORTAL_DOMAIN, *settings.PUBLIC_HOSTS]):
        Domain.objects.get_or_create(domain=host, defaults={"tenant": public, "is_primary": index == 0})
    return public
