"""Help pages: the index with search, and one topic."""

from django.http import Http404
from django.shortcuts import render
from django.utils import translation

from . import topics


def help_index(request):
    language = translation.get_language() or "nl"
    query = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "help/index.html",
        {
            "topics": topics.all_topics(language),
            "query": query,
            "hits": topics.search(query, language) if query else None,
        },
    )


def help_topic(request, slug):
    language = translation.get_language() or "nl"
    page = topics.topic(slug, language)
    if page is None:
        raise Http404
    return render(request, "help/topic.html", {"page": page, "topics": topics.all_topics(language)})
