"""Django's own messages that its catalogues do not translate (yet): listed here so that `makemessages` keeps them
in ours. Django 5.2 changed the password-length msgid to "%d" while its Dutch catalogue still has the old
"%(min_length)d" one, so Dutch pages showed the English sentence. Nothing imports this module."""

from django.utils.translation import ngettext_lazy

MESSAGES = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "n",
    ),
]
