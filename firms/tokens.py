"""Random single-use tokens: the raw token goes to the user (link, mail); only its SHA-256 is stored."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """Return (raw token, its hash). 32 random bytes, URL-safe."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
