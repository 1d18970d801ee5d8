"""Sync keys, agent heartbeats and the delivery protocol (list, lease, acknowledge, report a failure).

Keys live in the public schema; item functions run in the key's firm schema (the API's authentication sets
it). Safety rests on the database: a lease is taken by a conditional UPDATE that changes one row or none,
and an acknowledgement locks the item's row before it decides.
"""

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exports.models import ExportItem, ItemState
from exports.services import mark_delivered, mark_failed
from portal.models import Firm
from portal.services import PortalError

from .models import AgentHeartbeat, SyncKey

KEY_SCHEME = "bsk_"
PREFIX_LENGTH = len(KEY_SCHEME) + 8  # "bsk_" + 8 random lowercase letters and digits
KEY_PATTERN = re.compile(r"^bsk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$")
LAST_USE_RESOLUTION = timedelta(seconds=30)  # record a key's last use at most this often (one write less)
FAILURE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


class SyncError(Exception):
    """A refusal the agent can act on: a stable code, an English message and the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 409):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


# Keys ------------------------------------------------------------------------------------------------------

def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_sync_key(firm: Firm, name: str, created_by=None) -> tuple[SyncKey, str]:
    """A new key for `firm`; returns it with the raw key, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise PortalError(_("Give the key a name, e.g. the server it is for."), "name")
    if len(name) > 100:
        raise PortalError(_("Use at most 100 characters."), "name")
    alphabet = string.ascii_lowercase + string.digits
    while True:
        prefix = KEY_SCHEME + "".join(secrets.choice(alphabet) for _i in range(8))
        raw = f"{prefix}_{secrets.token_urlsafe(32)}"
        if not SyncKey.objects.filter(prefix=prefix).exists():
            break
    key = SyncKey.objects.create(firm=firm, name=name, prefix=prefix, key_hash=_hash(raw),
                                 created_by=created_by if created_by is not None and created_by.is_authenticated
                                 else None)
    return key, raw


def revoke_sync_key(firm: Firm, key_id: int, now: datetime | None = None) -> SyncKey:
    """Revoke one of `firm`'s keys; agents using it are refused from the next request on. Idempotent."""
    key = SyncKey.objects.filter(pk=key_id, firm=firm).first()
    if key is None:
        raise PortalError(_("This sync key does not exist."))
    SyncKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    key.refresh_from_db()
    return key


def authenticate_key(raw: str, ip: str | None = None, now: datetime | None = None) -> SyncKey | None:
    """The active key `raw` stands for (with its firm), or None: malformed, unknown, wrong secret, revoked,
    or a firm without a schema. Compares hashes in constant time; records when and from where it was used."""
    if not raw or not KEY_PATTERN.match(raw):
        return None
    key = SyncKey.objects.select_related("firm").filter(prefix=raw[:PREFIX_LENGTH]).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(raw)):
        return None
    if key.revoked_at is not None or key.firm.is_public:
        return None
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USE_RESOLUTION or key.last_used_ip != ip:
        SyncKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=ip)
        key.last_used_at, key.last_used_ip = now, ip
    return key


# Heartbeats and status -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heartbeat:
    version: str = ""
    hostname: str = ""
    root: str = ""
    free_bytes: int | None = None
    last_error: str = ""


def record_heartbeat(key: SyncKey, beat: Heartbeat, ip: str | None = None, now: datetime | None = None) -> None:
    """Remember what the agent of `key` said; the portal shows it as the agent's connection status."""
    AgentHeartbeat.objects.update_or_create(key=key, defaults={
        "seen_at": now or timezone.now(), "version": beat.version[:40], "hostname": beat.hostname[:255],
        "root": beat.root[:500], "free_bytes": beat.free_bytes, "last_error": beat.last_error[:2000], "ip": ip})


def connected_since(now: datetime | None = None) -> datetime:
    """An agent seen after this moment counts as connected (three poll intervals)."""
    return (now or timezone.now()) - timedelta(seconds=3 * settings.SYNC_POLL_SECONDS)


def agent_status(firm: Firm, now: datetime | None = None) -> dict:
    """The firm's agents as the portal shows them: `connected` (any agent seen within three poll
    intervals), `last_seen` (the latest heartbeat or None) and `agents`, one dict per active key that has
    sent a heartbeat, most recent first."""
    threshold = connected_since(now)
    beats = (AgentHeartbeat.objects.filter(key__firm=firm, key__revoked_at__isnull=True)
             .select_related("key").order_by("-seen_at"))
    agents = [{
        "key_name": beat.key.name, "key_prefix": beat.key.prefix, "connected": beat.seen_at >= threshold,
        "last_seen": beat.seen_at, "version": beat.version, "hostname": beat.hostname, "root": beat.root,
        "free_bytes": beat.free_bytes, "last_error": beat.last_error, "ip": beat.ip,
    } for beat in beats]
    return {"connected": any(agent["connected"] for agent in agents),
            "last_seen": agents[0]["last_seen"] if agents else None, "agents": agents}


# Items: run in the key's firm schema ------------------------------------------------------------------------

def _lease_prefix(key: SyncKey) -> str:
    # The lease token starts with the key's prefix: "leased by this key" needs no extra column.
    return key.prefix + "."


def _offerable(key: SyncKey, now: datetime) -> Q:
    """Waiting and free for this key: never leased, lease expired, or leased by this same key."""
    return Q(state=ItemState.WAITING) & (Q(leased_until__isnull=True) | Q(leased_until__lt=now)
                                         | Q(lease_token__startswith=_lease_prefix(key)))


def pending_items(key: SyncKey, after: int = 0, limit: int = 100, now: datetime | None = None) \
        -> tuple[list[ExportItem], bool]:
    """Up to `limit` items to deliver with an id above `after`, in id order, and whether more follow."""
    rows = list(ExportItem.objects.filter(_offerable(key, now or timezone.now()), pk__gt=after)
                .order_by("pk").only("pk", "dossier_id", "kind", "path", "size", "sha256")[:limit + 1])
    return rows[:limit], len(rows) > limit


def get_item(item_id: int) -> ExportItem:
    item = ExportItem.objects.filter(pk=item_id).first()
    if item is None:
        raise SyncError("not_found", "No such item.", 404)
    return item


def lease_item(key: SyncKey, item_id: int, now: datetime | None = None) -> tuple[ExportItem, str]:
    """Take a short lease on a waiting item for one download attempt; returns the item and the new lease
    token (any earlier attempt's token is superseded). Refuses an item another key holds (`leased`) and
    one that is no longer waiting (`not_pending`)."""
    now = now or timezone.now()
    token = _lease_prefix(key) + secrets.token_urlsafe(24)
    taken = ExportItem.objects.filter(_offerable(key, now), pk=item_id).update(
        lease_token=token, leased_until=now + timedelta(seconds=settings.SYNC_LEASE_SECONDS),
        attempts=F("attempts") + 1)
    item = get_item(item_id)
    if taken != 1:
        if item.state != ItemState.WAITING:
            raise SyncError("not_pending", f"This item is {item.state}, not waiting.")
        raise SyncError("leased", "Another agent is fetching this item; try again later.")
    return item, token


def _superseded(item: ExportItem, key: SyncKey, lease: str, now: datetime) -> bool:
    """Whether an acknowledgement or report of this attempt comes too late: another attempt holds the item."""
    if lease:
        return item.lease_token != lease
    held_by_other = item.leased_until is not None and item.leased_until >= now \
        and not item.lease_token.startswith(_lease_prefix(key))
    return held_by_other


def acknowledge_item(key: SyncKey, item_id: int, sha256: str, lease: str = "", now: datetime | None = None) -> str:
    """The agent wrote the file. Returns `delivered`, `already_delivered` (a repeat: harmless) or `ignored`
    (a superseded attempt: the item is left as it is). Refuses a hash that is not the item's
    (`sha256_mismatch`)."""
    now = now or timezone.now()
    if not SHA256.match(sha256 or ""):
        raise SyncError("invalid", "sha256: 64 hexadecimal characters.", 400)
    with transaction.atomic():
        item = ExportItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise SyncError("not_found", "No such item.", 404)
        if not hmac.compare_digest(item.sha256, sha256.lower()):
            raise SyncError("sha256_mismatch", "The sha256 is not the one of this item's file; it stays undelivered.")
        if item.state == ItemState.DELIVERED:
            return "already_delivered"
        if _superseded(item, key, lease, now):
            return "ignored"
        return "delivered" if mark_delivered(item.pk, agent=key.name, now=now) else "already_delivered"


def report_failure(key: SyncKey, item_id: int, code: str, message: str, lease: str = "",
                   now: datetime | None = None) -> str:
    """The agent could not write the file: the item becomes failed with the code and message, shown in the
    dossier's export history. Returns `failed`, or `ignored` for a superseded attempt or an item that is
    not waiting any more."""
    now = now or timezone.now()
    if not FAILURE_CODE.match(code or ""):
        raise SyncError("invalid", "code: use lowercase letters, digits and underscores (e.g. disk_full).", 400)
    with transaction.atomic():
        item = ExportItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise SyncError("not_found", "No such item.", 404)
        if item.state != ItemState.WAITING or _superseded(item, key, lease, now):
            return "ignored"
        return "failed" if mark_failed(item.pk, code, message, now=now) else "ignored"
