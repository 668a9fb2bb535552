"""Snippets for search hits: the text escaped first, then matches wrapped in <mark>.

User text never reaches the page as HTML: every character of it goes through escape(),
and the only tags in a snippet are the <mark> pairs added here.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from whoosh.highlight import Formatter, get_text

from forum.text import excerpt

SNIPPET_LENGTH = 220
# A snippet is looked for in this much of a document's text, not in a whole long thread:
# marking up every word of a 500-reply thread took longer than the search itself.
SNIPPET_SCAN_CHARS = 6_000
# Sentinels that PostgreSQL's ts_headline puts around matches; never left in user text.
START, STOP = "\ue000", "\ue001"


def plain_snippet(text: str, length: int = SNIPPET_LENGTH) -> Markup:
    """The start of a text, escaped (for hits whose match is in the title only)."""
    if not text:
        return Markup("")
    return escape(excerpt(str(escape(text)), length))


def strip_sentinels(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def marked_snippet(headline: str) -> Markup:
    """Escape a headline whose matches are wrapped in START/STOP, then mark the matches."""
    escaped = escape(headline)
    if escaped.count(START) != escaped.count(STOP):
        return Markup(strip_sentinels(escaped))  # noqa: S704 - escaped just above
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704


class MarkFormatter(Formatter):
    """Whoosh formatter: escaped text, matches in <mark>, fragments joined by an ellipsis."""

    between = " \u2026 "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{escape(get_text(text, token, replace))}</mark>"
