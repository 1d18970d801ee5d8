"""Random single-use tokens: the raw token goes to the user (link, mail); only its SHA-256 is stored."""

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone


def new_token() -> tuple[str, str]:
    """Return (raw token, its hash). 32 random bytes, URL-safe."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class SingleUseQuerySet(models.QuerySet[Any]):
    """Links mailed once (staff invitations, activation links): usable until used, revoked or expired.
    The model names its "used" field in `USED_FIELD`."""

    def usable(self, now: datetime):
        used = self.model.USED_FIELD  # type: ignore[attr-defined]  # declared by SingleUse
        return self.filter(**{f"{used}__isnull": True}, revoked_at__isnull=True, expires_at__gt=now)

    def claim(self, pk: int, now: datetime) -> bool:
        """Mark the link used if it still is usable; of two concurrent claims exactly one wins."""
        used = self.model.USED_FIELD  # type: ignore[attr-defined]
        return self.usable(now).filter(pk=pk).update(**{used: now}) == 1


class SingleUse:
    """`is_usable` for a model whose manager is a `SingleUseQuerySet`."""

    USED_FIELD = "used_at"
    expires_at: datetime

    @property
    def is_usable(self) -> bool:
        return (
            getattr(self, self.USED_FIELD) is None
            and getattr(self, "revoked_at", None) is None
            and self.expires_at > timezone.now()
        )
