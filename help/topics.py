"""The help pages: Markdown files in help/content/<language>/<topic>.md, rendered once per process, searchable.

A topic missing in the visitor's language falls back to English, then Dutch. The files are the project's own text
(never user input), so their HTML is trusted; the search query is only ever compared, never rendered unescaped.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import markdown

CONTENT = Path(__file__).resolve().parent / "content"
FALLBACKS = ("en", "nl")
# The order of the index; every topic in this list exists in every language (tests/ui/test_help.py checks).
TOPICS = (
    "getting-started",
    "sage-bob",
    "billsync",
    "export-policies",
    "re-export",
    "coda",
    "firebird",
    "custom-host",
    "dossier-sheet",
    "held-back",
)
SLUG = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class Topic:
    slug: str
    language: str
    title: str
    html: str
    text: str  # plain text for searching, without accents, lower case


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def topic(slug: str, language: str) -> Topic | None:
    """The topic in `language` (or its fallback), or None for an unknown slug."""
    if slug not in TOPICS or not SLUG.match(slug):
        return None
    for lang in (language, *FALLBACKS):
        path = CONTENT / lang / f"{slug}.md"
        if path.is_file():
            source = path.read_text(encoding="utf-8")
            title = source.splitlines()[0].lstrip("# ").strip()
            html = markdown.markdown(source, extensions=["tables", "fenced_code", "attr_list", "toc"])
            text = re.sub(r"[#*`>|_\[\]()-]+", " ", source)
            return Topic(slug, lang, title, html, _fold(text))
    return None


def all_topics(language: str) -> list[Topic]:
    return [t for slug in TOPICS if (t := topic(slug, language)) is not None]


@dataclass(frozen=True)
class Hit:
    topic: Topic
    excerpt: str


def search(query: str, language: str, limit: int = 20) -> list[Hit]:
    """Topics containing every word of the query (accents and case ignored), title matches first."""
    words = [w for w in _fold(query).split() if len(w) > 1][:8]
    if not words:
        return []
    hits = []
    for t in all_topics(language):
        if all(w in t.text for w in words):
            in_title = all(w in _fold(t.title) for w in words)
            hits.append((not in_title, t.text.count(words[0]) * -1, Hit(t, _excerpt(t, words[0]))))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h[2] for h in hits[:limit]]


def _excerpt(t: Topic, word: str, width: int = 90) -> str:
    flat = " ".join(t.text.split())
    at = flat.find(word)
    start = max(0, at - width)
    return ("…" if start else "") + flat[start : at + width] + "…"
