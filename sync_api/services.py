"""Sync keys, agent heartbeats and the delivery protocol (lease a page, download, acknowledge a batch, report a
failure; the older list + per-item lease + per-item acknowledgement still work).

Keys live in the public schema; item functions run in the key's firm schema (the API's authentication sets
it). Safety rests on the database: a lease is taken by a conditional UPDATE (for a page: one UPDATE over rows
locked with SKIP LOCKED, so two keys leasing at once get disjoint pages), and an acknowledgement locks the
items' rows before it decides.
"""

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core.errors import ErrorCode, PortalError
from exports.models import ExportItem, ItemState
from exports.services import deliver_items, mark_failed
from firms.models import Firm, recorded_user

from .error_codes import ApiErrorCode, ItemOutcome
from .models import AgentHeartbeat, SyncKey

KEY_SCHEME = "bsk_"
PREFIX_LENGTH = len(KEY_SCHEME) + 8  # "bsk_" + 8 random lowercase letters and digits
KEY_PATTERN = re.compile(r"^bsk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$")
LAST_USE_RESOLUTION = timedelta(seconds=30)  # record a key's last use at most this often (one write less)
FAILURE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
# An authenticated key (with its firm) is kept in the cache this long; revoking a key forgets it at once, the
# timeout bounds what a revocation racing with a request could leave behind.
KEY_CACHE_SECONDS = 60
MAX_PAGE = 500  # items per leased page and per batch acknowledgement
MAX_BUNDLE = 100  # items per multi-file download


class SyncError(Exception):
    """A refusal the agent can act on: a stable code, an English message and the HTTP status."""

    def __init__(self, code: ApiErrorCode, message: str, status: int = 409):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


# Keys ------------------------------------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_sync_key(firm: Firm, name: str, created_by=None) -> tuple[SyncKey, str]:
    """A new key for `firm`; returns it with the raw key, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise PortalError(_("Give the key a name, e.g. the server it is for."), "name", code=ErrorCode.INVALID)
    if len(name) > 100:
        raise PortalError(_("Use at most 100 characters."), "name", code=ErrorCode.INVALID)
    alphabet = string.ascii_lowercase + string.digits
    while True:
        prefix = KEY_SCHEME + "".join(secrets.choice(alphabet) for _i in range(8))
        raw = f"{prefix}_{secrets.token_urlsafe(32)}"
        if not SyncKey.objects.filter(prefix=prefix).exists():
            break
    key = SyncKey.objects.create(
        firm=firm,
        name=name,
        prefix=prefix,
        key_hash=_hash(raw),
        created_by=recorded_user(created_by),
    )
    return key, raw


def revoke_sync_key(firm: Firm, key_id: int, now: datetime | None = None) -> SyncKey:
    """Revoke one of `firm`'s keys; agents using it are refused from the next request on. Idempotent."""
    key = SyncKey.objects.filter(pk=key_id, firm=firm).first()
    if key is None:
        raise PortalError(_("This sync key does not exist."), code=ErrorCode.NOT_FOUND)
    SyncKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    forget_key(key.prefix)
    transaction.on_commit(lambda: forget_key(key.prefix))  # and again once the revocation is visible to all
    key.refresh_from_db()
    return key


def _key_cache_name(prefix: str) -> str:
    return f"sync_api:key:{prefix}"


def _in_public_schema(operation):
    """Run a cache operation with the public schema's cache keys (django-tenants prefixes keys with the
    connection's schema): the same key whatever schema the caller is in."""
    if connection.schema_name == get_public_schema_name():
        return operation()
    with schema_context(get_public_schema_name()):
        return operation()


def forget_key(prefix: str) -> None:
    """Drop the cached lookup of a key (after a revocation or any change to it)."""
    _in_public_schema(lambda: cache.delete(_key_cache_name(prefix)))


def _lookup_key(prefix: str) -> SyncKey | None:
    """The key with this prefix and its firm: from the cache, else from the database (then cached)."""
    name = _key_cache_name(prefix)
    key = _in_public_schema(lambda: cache.get(name))
    if key is None:
        key = SyncKey.objects.select_related("firm").filter(prefix=prefix).first()
        if key is not None:
            _in_public_schema(lambda: cache.set(name, key, KEY_CACHE_SECONDS))
    return key


def authenticate_key(raw: str, ip: str | None = None, now: datetime | None = None) -> SyncKey | None:
    """The active key `raw` stands for (with its firm), or None: malformed, unknown, wrong secret, revoked,
    or a firm without a schema. Compares hashes in constant time; records when and from where it was used."""
    if not raw or not KEY_PATTERN.match(raw):
        return None
    key = _lookup_key(raw[:PREFIX_LENGTH])
    if key is None or not hmac.compare_digest(key.key_hash, _hash(raw)):
        return None
    if key.revoked_at is not None or key.firm.is_public:
        return None
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USE_RESOLUTION or key.last_used_ip != ip:
        # Only if it is still active: a revocation since the lookup wins (and the cache learns it).
        if not SyncKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(last_used_at=now, last_used_ip=ip):
            forget_key(key.prefix)
            return None
        key.last_used_at, key.last_used_ip = now, ip
        _in_public_schema(lambda: cache.set(_key_cache_name(key.prefix), key, KEY_CACHE_SECONDS))
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
    AgentHeartbeat.objects.update_or_create(
        key=key,
        defaults={
            "seen_at": now or timezone.now(),
            "version": beat.version[:40],
            "hostname": beat.hostname[:255],
            "root": beat.root[:500],
            "free_bytes": beat.free_bytes,
            "last_error": beat.last_error[:2000],
            "ip": ip,
        },
    )


def connected_since(now: datetime | None = None) -> datetime:
    """An agent seen after this moment counts as connected (three poll intervals)."""
    return (now or timezone.now()) - timedelta(seconds=3 * settings.SYNC_POLL_SECONDS)


def agent_status(firm: Firm, now: datetime | None = None) -> dict:
    """The firm's agents as the portal shows them: `connected` (any agent seen within three poll
    intervals), `last_seen` (the latest heartbeat or None) and `agents`, one dict per active key that has
    sent a heartbeat, most recent first."""
    threshold = connected_since(now)
    beats = (
        AgentHeartbeat.objects.filter(key__firm=firm, key__revoked_at__isnull=True)
        .select_related("key")
        .order_by("-seen_at")
    )
    agents = [
        {
            "key_name": beat.key.name,
            "key_prefix": beat.key.prefix,
            "connected": beat.seen_at >= threshold,
            "last_seen": beat.seen_at,
            "version": beat.version,
            "hostname": beat.hostname,
            "root": beat.root,
            "free_bytes": beat.free_bytes,
            "last_error": beat.last_error,
            "ip": beat.ip,
        }
        for beat in beats
    ]
    return {
        "connected": any(agent["connected"] for agent in agents),
        "last_seen": agents[0]["last_seen"] if agents else None,
        "agents": agents,
    }


# Items: run in the key's firm schema ------------------------------------------------------------------------


def _lease_prefix(key: SyncKey) -> str:
    # The lease token starts with the key's prefix: "leased by this key" needs no extra column.
    return key.prefix + "."


def _offerable(key: SyncKey, now: datetime) -> Q:
    """Waiting and free for this key: never leased, lease expired, or leased by this same key."""
    return Q(state=ItemState.WAITING) & (
        Q(leased_until__isnull=True) | Q(leased_until__lt=now) | Q(lease_token__startswith=_lease_prefix(key))
    )


def pending_items(
    key: SyncKey, after: int = 0, limit: int = 100, now: datetime | None = None
) -> tuple[list[ExportItem], bool]:
    """Up to `limit` items to deliver with an id above `after`, in id order, and whether more follow."""
    rows = list(
        ExportItem.objects.filter(_offerable(key, now or timezone.now()), pk__gt=after)
        .order_by("pk")
        .only("pk", "dossier_id", "kind", "path", "size", "sha256")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def get_item(item_id: int) -> ExportItem:
    item = ExportItem.objects.filter(pk=item_id).first()
    if item is None:
        raise SyncError(ApiErrorCode.NOT_FOUND, "No such item.", 404)
    return item


def lease_item(key: SyncKey, item_id: int, now: datetime | None = None) -> tuple[ExportItem, str]:
    """Take a short lease on a waiting item for one download attempt; returns the item and the new lease
    token (any earlier attempt's token is superseded). Refuses an item another key holds (`leased`) and
    one that is no longer waiting (`not_pending`)."""
    now = now or timezone.now()
    token = _lease_prefix(key) + secrets.token_urlsafe(24)
    taken = ExportItem.objects.filter(_offerable(key, now), pk=item_id).update(
        lease_token=token, leased_until=now + timedelta(seconds=settings.SYNC_LEASE_SECONDS), attempts=F("attempts") + 1
    )
    item = get_item(item_id)
    if taken != 1:
        if item.state != ItemState.WAITING:
            raise SyncError(ApiErrorCode.NOT_PENDING, f"This item is {item.state}, not waiting.")
        raise SyncError(ApiErrorCode.LEASED, "Another agent is fetching this item; try again later.")
    return item, token


def lease_items(
    key: SyncKey, after: int = 0, limit: int = 100, now: datetime | None = None
) -> tuple[list[dict], str, bool]:
    """Lease a page for one delivery pass: up to `limit` offerable items with an id above `after`, in id order,
    all under one new lease token (which supersedes any earlier lease of these items). One UPDATE over the rows
    it locks with SKIP LOCKED: two keys leasing at the same moment get disjoint pages. Returns the items (as
    the API shows them), the token and whether more offerable items follow."""
    now = now or timezone.now()
    limit = max(1, min(limit, MAX_PAGE))
    token = _lease_prefix(key) + secrets.token_urlsafe(24)
    prefix = _lease_prefix(key)
    table = connection.ops.quote_name(ExportItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET lease_token = %s, leased_until = %s
                WHERE id IN (SELECT id FROM {table}
                             WHERE state = %s AND id > %s
                               AND (leased_until IS NULL OR leased_until < %s OR left(lease_token, %s) = %s)
                             ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)
                RETURNING id, dossier_id, kind, path, size, sha256""",
            [
                token,
                now + timedelta(seconds=settings.SYNC_LEASE_SECONDS),
                ItemState.WAITING,
                after,
                now,
                len(prefix),
                prefix,
                limit,
            ],
        )
        rows = sorted(cursor.fetchall())
    items = [
        {"id": row[0], "dossier": row[1], "kind": row[2], "path": row[3], "size": row[4], "sha256": row[5]}
        for row in rows
    ]
    has_more = len(items) == limit and ExportItem.objects.filter(_offerable(key, now), pk__gt=items[-1]["id"]).exists()
    return items, token, has_more


def leased_file(key: SyncKey, item_id: int, lease: str, now: datetime | None = None) -> tuple[str, str]:
    """A download under a lease of `lease_items`: counts the attempt and renews the lease in one conditional
    UPDATE; returns the item's (storage name, sha256). Refuses an item whose lease is not `lease` any more
    (`leased`: another attempt superseded it) or that is no longer waiting (`not_pending`)."""
    now = now or timezone.now()
    if not lease.startswith(_lease_prefix(key)):
        raise SyncError(ApiErrorCode.LEASED, "This lease is not one of this key's.")
    table = connection.ops.quote_name(ExportItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET attempts = attempts + 1, leased_until = %s
                WHERE id = %s AND state = %s AND lease_token = %s RETURNING file, sha256""",
            [now + timedelta(seconds=settings.SYNC_LEASE_SECONDS), item_id, ItemState.WAITING, lease],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0], row[1]
    item = get_item(item_id)
    if item.state != ItemState.WAITING:
        raise SyncError(ApiErrorCode.NOT_PENDING, f"This item is {item.state}, not waiting.")
    raise SyncError(ApiErrorCode.LEASED, "This lease was superseded by another attempt; lease the item again.")


def leased_files(
    key: SyncKey, item_ids: list[int], lease: str, now: datetime | None = None
) -> dict[int, tuple[str, str] | str]:
    """Several downloads under a lease of `lease_items` at once: `leased_file` for each id in one UPDATE.
    Returns, per id, (storage name, sha256) or the refusal's code (`leased`, `not_pending`, `not_found`)."""
    now = now or timezone.now()
    if not item_ids:
        return {}
    if not lease.startswith(_lease_prefix(key)):
        return dict.fromkeys(item_ids, ItemOutcome.LEASED)
    table = connection.ops.quote_name(ExportItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET attempts = attempts + 1, leased_until = %s
                WHERE id = ANY(%s) AND state = %s AND lease_token = %s RETURNING id, file, sha256""",
            [now + timedelta(seconds=settings.SYNC_LEASE_SECONDS), list(item_ids), ItemState.WAITING, lease],
        )
        answer: dict[int, tuple[str, str] | str] = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    missing = [item_id for item_id in item_ids if item_id not in answer]
    if missing:
        states = dict(ExportItem.objects.filter(pk__in=missing).values_list("pk", "state"))
        for item_id in missing:
            state = states.get(item_id)
            answer[item_id] = (
                ItemOutcome.NOT_FOUND
                if state is None
                else ItemOutcome.LEASED
                if state == ItemState.WAITING
                else ItemOutcome.NOT_PENDING
            )
    return answer


def _superseded(item: ExportItem, key: SyncKey, lease: str, now: datetime) -> bool:
    """Whether an acknowledgement or report of this attempt comes too late: another attempt holds the item."""
    if lease:
        return item.lease_token != lease
    held_by_other = (
        item.leased_until is not None
        and item.leased_until >= now
        and not item.lease_token.startswith(_lease_prefix(key))
    )
    return held_by_other


@dataclass(frozen=True)
class Ack:
    id: int
    sha256: str
    lease: str = ""


def acknowledge_items(key: SyncKey, acks: list[Ack], now: datetime | None = None) -> list[str]:
    """The agent wrote these files: one status per acknowledgement, in order: `delivered`, `already_delivered`
    (a repeat: harmless), `ignored` (a superseded attempt: the item is left as it is), `sha256_mismatch` (not
    this item's file: it stays undelivered) or `not_found`. One transaction whatever the count: the rows are
    locked in id order, then one UPDATE delivers the items and one per lock setting exports their documents
    (exports.services.deliver_items)."""
    now = now or timezone.now()
    ids = sorted({ack.id for ack in acks})
    with transaction.atomic():
        rows = {
            item.pk: item
            for item in ExportItem.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .only("pk", "sha256", "state", "lease_token", "leased_until", "document_id", "dossier_id")
        }
        statuses, deliver = [], {}
        for ack in acks:
            item = rows.get(ack.id)
            if item is None:
                status = ItemOutcome.NOT_FOUND
            elif not hmac.compare_digest(item.sha256, ack.sha256.lower()):
                status = ItemOutcome.SHA256_MISMATCH
            elif item.state == ItemState.DELIVERED or item.pk in deliver:
                status = ItemOutcome.ALREADY_DELIVERED
            elif not item.is_open or _superseded(item, key, ack.lease, now):
                status = ItemOutcome.IGNORED
            else:
                status = ItemOutcome.DELIVERED
                deliver[item.pk] = item
            statuses.append(status)
        if deliver:
            deliver_items(list(deliver), key.name, now)
    return [str(status) for status in statuses]


def acknowledge_item(key: SyncKey, item_id: int, sha256: str, lease: str = "", now: datetime | None = None) -> str:
    """The agent wrote the file. Returns `delivered`, `already_delivered` (a repeat: harmless) or `ignored`
    (a superseded attempt: the item is left as it is). Refuses a hash that is not the item's
    (`sha256_mismatch`)."""
    if not SHA256.match(sha256 or ""):
        raise SyncError(ApiErrorCode.INVALID, "sha256: 64 hexadecimal characters.", 400)
    [status] = acknowledge_items(key, [Ack(item_id, sha256, lease)], now)
    if status == ItemOutcome.NOT_FOUND:
        raise SyncError(ApiErrorCode.NOT_FOUND, "No such item.", 404)
    if status == ItemOutcome.SHA256_MISMATCH:
        raise SyncError(
            ApiErrorCode.SHA256_MISMATCH, "The sha256 is not the one of this item's file; it stays undelivered."
        )
    return status


@dataclass(frozen=True)
class FailureReport:
    id: int
    code: str
    message: str = ""
    lease: str = ""


def report_failures(key: SyncKey, reports: list[FailureReport], now: datetime | None = None) -> list[str]:
    """The agent could not write these files: one status per report, in order: `failed` (the item shows the code
    and message in the dossier's export history), `ignored` (a superseded attempt, an item not waiting any more,
    or a repeat within the batch) or `not_found`. One transaction whatever the count, rows locked in id order."""
    now = now or timezone.now()
    for report in reports:
        if not FAILURE_CODE.match(report.code or ""):
            raise SyncError(
                ApiErrorCode.INVALID, "code: use lowercase letters, digits and underscores (e.g. disk_full).", 400
            )
    with transaction.atomic():
        rows = {
            item.pk: item
            for item in ExportItem.objects.select_for_update()
            .filter(pk__in=sorted({report.id for report in reports}))
            .order_by("pk")
            .only("pk", "state", "lease_token", "leased_until")
        }
        statuses: list[str] = []
        done: set[int] = set()
        for report in reports:
            item = rows.get(report.id)
            if item is None:
                statuses.append(ItemOutcome.NOT_FOUND)
            elif item.pk in done or item.state != ItemState.WAITING or _superseded(item, key, report.lease, now):
                statuses.append(ItemOutcome.IGNORED)
            else:
                done.add(item.pk)
                statuses.append(
                    ItemOutcome.FAILED
                    if mark_failed(item.pk, report.code, report.message, now=now)
                    else ItemOutcome.IGNORED
                )
    return statuses


def report_failure(
    key: SyncKey, item_id: int, code: str, message: str, lease: str = "", now: datetime | None = None
) -> str:
    """One failure (the per-item endpoint): `report_failures` for one report; refuses an unknown item."""
    [status] = report_failures(key, [FailureReport(item_id, code, message, lease)], now)
    if status == ItemOutcome.NOT_FOUND:
        raise SyncError(ApiErrorCode.NOT_FOUND, "No such item.", 404)
    return status
