"""Input no page can use, refused in one place with 400 and a short message in the visitor's language: NUL
characters in the query string or in form fields (PostgreSQL cannot store or compare them) and other C0
control characters apart from tab and line breaks."""

import re

from django.http import HttpResponseBadRequest
from django.template import loader
from django.utils import translation

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _has_control(query_dict) -> bool:
    return any(
        CONTROL.search(key) or any(CONTROL.search(value) for value in values) for key, values in query_dict.lists()
    )


class OddInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        odd = _has_control(request.GET)
        content_type = request.content_type or ""
        if (
            not odd
            and request.method == "POST"
            and content_type
            in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )
        ):
            odd = _has_control(request.POST)
        if odd:
            language = translation.get_language_from_request(request)
            with translation.override(language):
                body = loader.get_template("400.html").render({"LANGUAGE_CODE": language})
            return HttpResponseBadRequest(body)
        return self.get_response(request)
