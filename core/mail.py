"""Sending mail from templates in the recipient's language (text and HTML parts), in the firm's branding."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(to: str, template: str, context: dict, language: str = "nl", base_url: str = "") -> None:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html` in `language` and send them.

    When the context has a `firm`, the HTML part gets its branding as `brand` (colours, logo under `base_url`,
    the scheme and host the images are fetched from)."""
    from branding.services import mail_branding

    context = {"brand": mail_branding(context.get("firm"), base_url), **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
