"""A firm's branding: its custom host, colours, login title and images, cached per firm.

Plain functions called by the settings page, the demo seed and tests. Refusals raise `PortalError` with a
translated message tied to a form field; nothing is saved unless everything is valid.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core.errors import ErrorCode, PortalError
from core.storage import firm_key, store_once
from firms.models import Domain, Firm
from firms.services import firm_host
from firms.tenancy import client_firm

from .colours import normalise_hex, readable_text
from .host_check import known_host_key
from .images import CleanImage
from .models import DEFAULT_BUTTON_COLOUR, DEFAULT_MAIN_COLOUR, DEFAULT_NAV_COLOUR, Branding

IMAGE_KINDS = ("logo", "favicon", "login_image")
COLOUR_FIELDS = ("main_colour", "nav_colour", "button_colour")
LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
CACHE_TTL = 24 * 60 * 60
# The login title's field per interface language, in fallback order.
LOGIN_TITLE_FIELDS = {"nl": "login_title", "fr": "login_title_fr", "en": "login_title_en"}


@dataclass
class BrandingInput:
    custom_host: str = ""
    main_colour: str = DEFAULT_MAIN_COLOUR
    nav_colour: str = DEFAULT_NAV_COLOUR
    button_colour: str = DEFAULT_BUTTON_COLOUR
    login_title: str = ""  # in Dutch
    login_title_fr: str = ""
    login_title_en: str = ""
    images: dict[str, CleanImage] = field(default_factory=dict)  # new uploads by kind
    remove: frozenset[str] = frozenset()  # kinds to clear


def clean_custom_host(raw: str, firm: Firm) -> str:
    """The host name a firm's clients type, as stored: lowercase ASCII (IDN as punycode), or "" for none.

    Refuses schemes, paths, ports, underscores, malformed labels, IP addresses, `www.` hosts (the tenant
    middleware strips `www.`), the platform's domain and its subdomains, and hosts of other firms.
    """
    host = (raw or "").strip().lower().rstrip(".")
    if not host:
        return ""
    if "://" in host or host.startswith(("http:", "https:")):
        raise PortalError(
            _("Enter the host name only, without http:// or https://."), "custom_host", code=ErrorCode.INVALID
        )
    if any(c in host for c in "/?#\\"):
        raise PortalError(_("Enter the host name only, without a path."), "custom_host", code=ErrorCode.INVALID)
    if ":" in host:
        raise PortalError(_("Enter the host name only, without a port."), "custom_host", code=ErrorCode.INVALID)
    if "_" in host:
        raise PortalError(_("Host names use hyphens, not underscores."), "custom_host", code=ErrorCode.INVALID)
    malformed = PortalError(_("This is not a valid host name, e.g. my.yourfirm.be."), "custom_host")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise malformed from None
    labels = host.split(".")
    platform = settings.PORTAL_DOMAIN
    if host == platform or host.endswith("." + platform):
        raise PortalError(
            _("%(host)s belongs to the platform. Use a host name of your own firm's domain.") % {"host": host},
            "custom_host",
            code=ErrorCode.RESERVED,
        )
    if len(host) > 253 or len(labels) < 2 or not all(LABEL.match(label) for label in labels):
        raise malformed
    if labels[-1].isdigit():
        raise PortalError(_("Use a host name, not an IP address."), "custom_host", code=ErrorCode.INVALID)
    if labels[0] == "www":
        raise PortalError(
            _("Choose a host name that does not start with www., e.g. my.yourfirm.be."),
            "custom_host",
            code=ErrorCode.INVALID,
        )
    if Domain.objects.filter(domain=host).exclude(tenant=firm).exists():
        raise PortalError(
            _("%(host)s is already used by another portal.") % {"host": host}, "custom_host", code=ErrorCode.TAKEN
        )
    return host


def clean_colour(value: str, field_name: str) -> str:
    colour = normalise_hex(value)
    if colour is None:
        raise PortalError(
            _("Enter a colour as # followed by six hexadecimal digits, e.g. #1f4e79."),
            field_name,
            code=ErrorCode.INVALID,
        )
    return colour


def dns_target(firm: Firm) -> str:
    """Where a firm's custom host must point (CNAME): its default host."""
    return firm_host(firm.slug)


def save_branding(firm: Firm, data: BrandingInput) -> Branding:
    """Validate everything, then save the firm's branding, its custom host (a non-primary Domain; the old one
    is removed) and new images; the firm's cached branding is forgotten. All or nothing."""
    host = clean_custom_host(data.custom_host, firm)
    colours = {name: clean_colour(getattr(data, name), name) for name in COLOUR_FIELDS}
    titles = {name: (getattr(data, name) or "").strip() for name in LOGIN_TITLE_FIELDS.values()}
    for name, title in titles.items():
        if len(title) > 100:
            raise PortalError(_("Keep the login title under 100 characters."), name, code=ErrorCode.INVALID)
    with transaction.atomic():
        branding, _created = Branding.objects.select_for_update().get_or_create(firm=firm)
        old_host = branding.custom_host
        if host != old_host:
            _replace_custom_host(firm, old_host, host)
        branding.custom_host = host
        for name, colour in colours.items():
            setattr(branding, name, colour)
        for name, title in titles.items():
            setattr(branding, name, title)
        for kind in IMAGE_KINDS:
            if kind in data.images:
                setattr(branding, kind, _store_image(firm, kind, data.images[kind]))
            elif kind in data.remove:
                setattr(branding, kind, "")
        branding.updated_at = timezone.now()
        branding.save()
        transaction.on_commit(lambda: forget_branding(firm, old_host, host))
    forget_branding(firm, old_host, host)  # now too: this request's own next read must not see the old look
    return branding


def set_custom_host(firm: Firm, host: str) -> Branding:
    """Attach `host` to the firm without the platform-domain rule: for the operator and the demo, whose
    `*.localhost` custom host lies under the local PORTAL_DOMAIN."""
    with transaction.atomic():
        branding, _created = Branding.objects.select_for_update().get_or_create(firm=firm)
        if branding.custom_host != host:
            _replace_custom_host(firm, branding.custom_host, host)
            old, branding.custom_host = branding.custom_host, host
            branding.save()
            forget_branding(firm, old, host)
    return branding


def _replace_custom_host(firm: Firm, old: str, new: str) -> None:
    if old:
        Domain.objects.filter(domain=old, tenant=firm, is_primary=False).delete()
    if new:
        try:
            with transaction.atomic():
                Domain.objects.create(domain=new, tenant=firm, is_primary=False)
        except IntegrityError:  # another firm took it meanwhile: the unique host decides
            raise PortalError(
                _("%(host)s is already used by another portal.") % {"host": new}, "custom_host", code=ErrorCode.TAKEN
            ) from None


def _store_image(firm: Firm, kind: str, image: CleanImage) -> str:
    """Save under a per-firm, content-hashed name (served with a long cache lifetime); same bytes, same name."""
    name = f"{kind.replace('_', '-')}-{image.digest[:20]}.{image.extension}"
    return store_once(firm_key("branding", name, schema=firm.schema_name), image.data)


# --- reading, with the cache ---------------------------------------------------------------------------------


def _cache_key(firm: Firm) -> str:
    # The creation time keeps a recreated database (tests, a restore) from reading another firm's entry.
    return f"branding:{firm.pk}:{int(firm.created_at.timestamp())}"


def forget_branding(firm: Firm, *hosts: str) -> None:
    with schema_context(get_public_schema_name()):  # django-tenants prefixes cache keys with the schema
        cache.delete_many([_cache_key(firm), *(known_host_key(h) for h in hosts if h)])


def branding_for_firm(firm: Firm) -> dict:
    """What the pages and mails of a firm show: colours with their readable text colours, login title,
    image URLs (relative to the firm's hosts), custom host. Cached per firm until the next save."""
    with schema_context(get_public_schema_name()):
        key = _cache_key(firm)
        values = cache.get(key)
        if values is None:
            values = _branding_values(Branding.objects.filter(firm=firm).first() or Branding(firm=firm))
            cache.set(key, values, CACHE_TTL)
    return values


def login_title(titles: dict[str, str], language: str | None) -> str:
    """The login title in this language; when it is empty, the first one filled in (nl, fr, en); else ""."""
    return titles.get((language or "")[:2]) or next((title for title in titles.values() if title), "")


def _branding_values(branding: Branding) -> dict:
    values = {
        "custom_host": branding.custom_host,
        "login_titles": {language: getattr(branding, name) for language, name in LOGIN_TITLE_FIELDS.items()},
    }
    for name in COLOUR_FIELDS:
        colour = getattr(branding, name)
        values[name] = colour
        values[name.replace("_colour", "_text")] = readable_text(colour)[0]
    for kind in IMAGE_KINDS:
        stored = getattr(branding, kind)
        values[f"{kind}_url"] = image_url(stored) if stored else ""
    return values


def image_url(name: str) -> str:
    return reverse("branding_file", urlconf="config.urls_firm", args=[name.rsplit("/", 1)[-1]])


def stored_image_name(firm: Firm, file_name: str) -> str | None:
    """The storage name of one of this firm's branding images from the last part of its URL, or None."""
    if not re.fullmatch(r"(logo|favicon|login-image)-[0-9a-f]{20}\.(png|jpg|webp)", file_name):
        return None
    name = firm_key("branding", file_name, schema=firm.schema_name)
    legacy = f"branding/{firm.slug}/{file_name}"  # where images were stored before keys began with the schema
    return legacy if not default_storage.exists(name) and default_storage.exists(legacy) else name


def mail_branding(firm: Firm | None, base_url: str) -> dict:
    """Branding for a mail of `firm`, with absolute image URLs under `base_url` (e.g. https://host)."""
    firm = client_firm(firm)
    if firm is None:
        return {}
    values = dict(branding_for_firm(firm))
    for kind in IMAGE_KINDS:
        key = f"{kind}_url"
        values[key] = base_url.rstrip("/") + values[key] if values[key] and base_url else ""
    return values
