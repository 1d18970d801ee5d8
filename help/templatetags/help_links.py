"""{% help_link "topic" %}: the "?" beside a page's title that opens the help topic it belongs to."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from help.topics import TOPICS

register = template.Library()


@register.simple_tag
def help_link(slug: str, anchor: str = "") -> str:
    if slug not in TOPICS:
        raise template.TemplateSyntaxError(f"unknown help topic {slug!r}")
    url = reverse("help_topic", args=[slug]) + (f"#{anchor}" if anchor else "")
    return format_html(
        '<a class="help-link" href="{}" title="{}"><span class="icon icon-help" aria-hidden="true"></span>'
        '<span class="visually-hidden">{}</span></a>',
        url,
        _("Help"),
        _("Help"),
    )
