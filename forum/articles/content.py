"""What an article may hold: the limits of its fields, and its title, summary and body checked."""

from __future__ import annotations

from urllib.parse import urlsplit

from forum import text

TITLE_MIN, TITLE_MAX = 10, 150
SUMMARY_MAX = 500
BODY_MAX = 50_000
CITATIONS_MAX = 30
CITATION_TEXT_MAX = 500
URL_MAX = 500


def check_title(title: str) -> str:
    return text.check_title(title, TITLE_MIN, TITLE_MAX)


def check_summary(summary: str) -> str:
    return text.check_length(
        " ".join(summary.replace("\x00", "").split()),
        "summary",
        SUMMARY_MAX,
        "Write a short summary for readers.",
        "Keep the summary under {longest} characters (this is {length}).",
    )


def check_body(body: str) -> str:
    return text.check_length(
        body.replace("\x00", "").replace("\r\n", "\n").strip(),
        "body",
        BODY_MAX,
        "Write the article first.",
        "Keep the article under {longest:,} characters (this is {length:,}).",
    )


def is_web_url(url: str) -> bool:
    """An absolute http(s) link with a host and no spaces or control characters."""
    if not url or any(char.isspace() or ord(char) < 32 for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 host, "http://["
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
