"""Sending mail from templates in the recipient's language (text and HTML parts), in the firm's branding.

Subjects and text parts are plain text: rendered without HTML escaping (a firm "A & B" reads "A & B", not
"A &amp; B"); only the HTML part escapes."""

from django.core.mail import EmailMultiAlternatives
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
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
