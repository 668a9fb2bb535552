"""What an article may hold: the limits of its fields, and its title, summary and body checked."""

from __future__ import annotations

from urllib.parse import urlsplit

from forum.errors import InvalidAction

TITLE_MIN, TITLE_MAX = 10, 150
SUMMARY_MAX = 500
BODY_MAX = 50_000
CITATIONS_MAX = 30
CITATION_TEXT_MAX = 500
URL_MAX = 500


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidAction(
            f"Write a title of {TITLE_MIN} to {TITLE_MAX} characters.", field="title"
        )
    return title


def check_summary(summary: str) -> str:
    summary = " ".join(summary.replace("\x00", "").split())
    if not summary:
        raise InvalidAction("Write a short summary for readers.", field="summary")
    if len(summary) > SUMMARY_MAX:
        raise InvalidAction(
            f"Keep the summary under {SUMMARY_MAX} characters (this is {len(summary)}).",
            field="summary",
        )
    return summary


def check_body(body: str) -> str:
    body = body.replace("\x00", "").replace("\r\n", "\n").strip()
    if not body:
        raise InvalidAction("Write the article first.", field="body")
    if len(body) > BODY_MAX:
        raise InvalidAction(
            f"Keep the article under {BODY_MAX:,} characters (this is {len(body):,}).",
            field="body",
        )
    return body


def is_web_url(url: str) -> bool:
    """An absolute http(s) link with a host and no spaces or control characters."""
    if not url or any(char.isspace() or ord(char) < 32 for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 host, "http://["
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
