"""Sending mail from templates in the recipient's language (text and HTML parts), in the firm's branding.

Subjects and text parts are plain text: rendered without HTML escaping (a firm "A & B" reads "A & B", not
"A &amp; B"); only the HTML part escapes.

No web request waits on SMTP: a message is rendered where it is asked for (the context holds models, in their
firm's schema) and handed, once the request's transaction commits, to the `core.mail.send` task on the `mail`
queue (a worker sends it). Nothing is sent for a transaction that rolls back."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import translation


def render_text(template: str, context: dict) -> str:
    """A text template rendered as plain text: no HTML escaping."""
    compiled = engines["django"].get_template(template).template  # type: ignore[attr-defined]  # Django backend
    return str(compiled.render(Context(context, autoescape=False)))


def render_subject(template: str, context: dict) -> str:
    """A subject on one line, plain text."""
    return " ".join(render_text(template, context).split())


def send_templated_mail(to: str, template: str, context: dict, language: str = "nl", base_url: str = "") -> None:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html` in `language` and send them.

    When the context has a `firm`, the HTML part gets its branding as `brand` (colours, logo under `base_url`,
    the scheme and host the images are fetched from)."""
    from branding.services import mail_branding

    context = {"brand": mail_branding(context.get("firm"), base_url), **context}
    with translation.override(language):
        subject = render_subject(f"{template}_subject.txt", context)
        text = render_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    queue_mail({"to": [to], "subject": subject, "body": text, "html": html})


def queue_mail(message: dict) -> None:
    """Send a rendered message (`to`, `subject`, `body`, optional `html` and `from_email`: plain strings, as the
    queue carries them) from a worker after the current transaction commits. `MAIL_IN_PROCESS` (tests that
    read the outbox) sends it here and now instead."""
    if settings.MAIL_IN_PROCESS:
        send_message(message)
        return
    from core.tasks import send_mail_task

    transaction.on_commit(lambda: send_mail_task.delay(message))


def send_message(message: dict) -> None:
    """What the task does: hand the rendered message to the mail backend (SMTP in production)."""
    mail = EmailMultiAlternatives(
        subject=message["subject"], body=message["body"], from_email=message.get("from_email"), to=message["to"]
    )
    if message.get("html"):
        mail.attach_alternative(message["html"], "text/html")
    mail.send()
