"""Snippets for search hits: the text escaped first, then matches wrapped in <mark>.

User text never reaches the page as HTML: every character of it goes through escape(),
and the only tags in a snippet are the <mark> pairs added here.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape
from whoosh.highlight import Formatter, get_text

from forum.search.query import STOP_WORDS
from forum.text import excerpt

SNIPPET_LENGTH = 220
# A snippet is looked for in this much of a document's text, not in a whole long thread:
# marking up every word of a 500-reply thread took longer than the search itself.
SNIPPET_SCAN_CHARS = 6_000
# Sentinels that PostgreSQL's ts_headline puts around matches; never left in user text.
START, STOP = "\ue000", "\ue001"
# Words a question is written with ("Can I take ibuprofen with lisinopril"): still searched
# for, but marking them in every snippet hides the words that matter.
QUESTION_WORDS = frozenset(
    """
    take takes taking took taken get gets getting got use uses using used need needs
    know want anyone anybody someone ok okay please thanks also would could may might
    must shall im ive dont cant doesnt get
    """.split()  # noqa: SIM905 - a word list, easier to read and extend this way
)
UNMARKED = STOP_WORDS | QUESTION_WORDS
_SENTINEL_MARK = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_HTML_MARK = re.compile(r"<mark>([^<]*)</mark>")


def plain_snippet(text: str, length: int = SNIPPET_LENGTH) -> Markup:
    """The start of a text, escaped (for hits whose match is in the title only)."""
    if not text:
        return Markup("")
    return escape(excerpt(str(escape(text)), length))


def strip_sentinels(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def is_unmarked(word: str) -> bool:
    """True for a word too common to mark, though it matched."""
    return word.strip().lower().replace("\u2019", "").replace("'", "") in UNMARKED


def marked_snippet(headline: str) -> Markup:
    """Escape a headline whose matches are wrapped in START/STOP, then mark the matches
    (but common words)."""
    headline = _SENTINEL_MARK.sub(
        lambda m: m.group(1) if is_unmarked(m.group(1)) else m.group(0), headline
    )
    escaped = str(escape(headline))
    if escaped.count(START) != escaped.count(STOP):
        return Markup(strip_sentinels(escaped))  # noqa: S704 - escaped just above
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704


def unmark_common_words(html: str) -> str:
    """Drop the <mark> around common words in a snippet already marked (ts_headline)."""
    return _HTML_MARK.sub(lambda m: m.group(1) if is_unmarked(m.group(1)) else m.group(0), html)


class MarkFormatter(Formatter):
    """Whoosh formatter: escaped text, matches in <mark>, fragments joined by an ellipsis."""

    between = " \u2026 "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        word = get_text(text, token, replace)
        if is_unmarked(word):
            return str(escape(word))
        return f"<mark>{escape(word)}</mark>"
