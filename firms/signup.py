"""Free sign-up without revealing who has an account: every valid sign-up is answered "check your mailbox".
A new address receives a link that creates the firm; an address that already has an account receives a
mail saying so (with links to log in and to choose a new password) and nothing is created.

The pending sign-up (with the password already hashed) waits in the cache under the SHA-256 of its link's
token for SIGNUP_LINK_HOURS; the link works once."""

import hashlib
import secrets
from dataclasses import asdict

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import caches
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import ErrorCode, PortalError
from core.mail import send_templated_mail

from .models import Firm, User
from .services import NewFirm, create_firm


def _key(token: str) -> str:
    return "signup:" + hashlib.sha256(token.encode()).hexdigest()


def request_signup(data: NewFirm, public_url: str) -> None:
    """Mail the address: a confirmation link when it is new, a note when it has an account. The same work
    (hashing the password, one mail) either way, so neither the answer nor its timing tells them apart."""
    email = data.owner_email.strip().lower()
    hashed = make_password(data.owner_password)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        send_templated_mail(
            existing.email,
            "firms/email/signup_existing",
            {
                "login_link": public_url + reverse("login", urlconf="config.urls_public"),
                "reset_link": public_url + reverse("password_reset", urlconf="config.urls_public"),
            },
            language=existing.language,
        )
        return
    token = secrets.token_urlsafe(32)
    pending = {**asdict(data), "owner_email": email, "owner_password": hashed}
    caches["default"].set(_key(token), pending, settings.SIGNUP_LINK_HOURS * 3600)
    send_templated_mail(
        email,
        "firms/email/signup_confirm",
        {
            "firm_name": data.name,
            "link": public_url + reverse("signup_confirm", urlconf="config.urls_public", args=[token]),
            "hours": settings.SIGNUP_LINK_HOURS,
        },
        language=data.owner_language,
    )


def confirm_signup(token: str) -> tuple[Firm, User]:
    """Create the firm of a confirmed sign-up; the link then stops working. Refuses an unknown or used link,
    and a web address or email taken in the meantime."""
    cache = caches["default"]
    pending = cache.get(_key(token))
    if pending is None:
        raise PortalError(_("This link is not valid (anymore). Please sign up again."), code=ErrorCode.EXPIRED)
    cache.delete(_key(token))
    # The password was hashed when the form was sent (the pending sign-up keeps only the hash).
    return create_firm(NewFirm(**{**pending, "owner_password": ""}), password_hash=pending["owner_password"])
