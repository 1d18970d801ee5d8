"""An empty choice says what choosing nothing means, in the page's language: never Django's "---------"."""

from django import forms
from django.utils import translation


class Choices(forms.Form):
    optional = forms.ChoiceField(choices=[("", "---------"), ("x", "X")], required=False)
    required = forms.ChoiceField(choices=[("", "---------"), ("x", "X")])


def test_the_empty_choice_asks_to_choose_or_says_none():
    form = Choices()
    form.fields["optional"].widget.is_required = False
    with translation.override("nl"):
        assert '<option value="" selected>(geen)</option>' in str(form["optional"])
        assert '<option value="" selected>Kies…</option>' in str(form["required"])
    with translation.override("fr"):
        assert "(aucun)" in str(form["optional"]) and "Choisissez…" in str(form["required"])
    assert "---------" not in str(form)


def test_a_field_made_required_after_creation_asks_to_choose():
    form = Choices()
    form.fields["optional"].required = True  # as forms do in __init__: the widget does not know
    with translation.override("nl"):
        assert "Kies…" in str(form["optional"])
