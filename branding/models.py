"""Public-schema model of a firm's white-label settings: custom host, colours, login title and images."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firms.models import Firm

DEFAULT_MAIN_COLOUR = "#1f4e79"
DEFAULT_NAV_COLOUR = "#f2b134"
DEFAULT_BUTTON_COLOUR = "#1f7a4d"
HEX = r"^#[0-9a-f]{6}$"


class Branding(models.Model):
    """One per firm, created on first save. Images are storage names (content-hashed, per firm)."""

    firm = models.OneToOneField(Firm, on_delete=models.CASCADE, primary_key=True, related_name="branding")
    custom_host = models.CharField(_("host URL"), max_length=253, blank=True)
    main_colour = models.CharField(_("main colour"), max_length=7, default=DEFAULT_MAIN_COLOUR)
    nav_colour = models.CharField(_("navigation colour"), max_length=7, default=DEFAULT_NAV_COLOUR)
    button_colour = models.CharField(_("button colour"), max_length=7, default=DEFAULT_BUTTON_COLOUR)
    # The login page's title per interface language; an empty one falls back to the first filled (nl, fr, en).
    login_title = models.CharField(_("login title in Dutch"), max_length=100, blank=True)
    login_title_fr = models.CharField(_("login title in French"), max_length=100, blank=True)
    login_title_en = models.CharField(_("login title in English"), max_length=100, blank=True)
    logo = models.CharField(max_length=255, blank=True)
    favicon = models.CharField(max_length=255, blank=True)
    login_image = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(main_colour__regex=HEX, nav_colour__regex=HEX, button_colour__regex=HEX),
                name="branding_colours_hex",
            ),
            models.UniqueConstraint(
                fields=["custom_host"], condition=~models.Q(custom_host=""), name="branding_custom_host_unique"
            ),
        ]

    def __str__(self):
        return f"{self.firm}"
