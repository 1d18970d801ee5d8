"""Sending mail from templates in the recipient's language (text and HTML parts)."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(to: str, template: str, context: dict, language: str = "nl") -> None:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html` in `language` and send them."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
