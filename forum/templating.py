"""Jinja helpers for the hot parts of pages: written in Python, because a page calls them per row.

A thread page calls `author_tag` and `time_tag` for every post; as Jinja macros they were a
large share of the page's time. Their output is exactly the HTML the macros wrote.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, url_for
from markupsafe import Markup, escape

from forum import policies
from forum.models import Post, Thread, Viewer, utcnow

UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400),
         ("day", 86400), ("hour", 3600), ("minute", 60))  # fmt: skip
# Dates younger than this read "3 hours ago"; older ones show their day.
RECENT = timedelta(days=7)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SENTENCE_ENDS = (".", "!", "?", "…")
# Where a public name splits into words for its initials: spaces, "_", "-", ".", digits.
_NAME_PARTS = re.compile(r"[\s_.\-0-9]+|(?<=[a-z])(?=[A-Z])")


def relative(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, as people say it: "just now", "1 minute ago", "3 hours ago"."""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    for unit, size in UNITS:
        if seconds >= size:
            return f"{counted(seconds // size, unit)} ago"
    return "just now"


def time_tag(moment: Any, now: datetime | None = None) -> Markup:
    """`<time>` with the machine-readable minute: "3 hours ago" for the last week, else the
    day as people read it; a time of day has the exact minute as its title (on hover)."""
    if type(moment) is not datetime:
        iso, day = moment.strftime("%Y-%m-%dT%H:%MZ"), moment.strftime("%d %b %Y")
        return Markup(f'<time datetime="{escape(iso)}">{escape(day)}</time>')  # noqa: S704
    # What strftime writes in the C locale, without its per-call locale work.
    minute = f"{moment.hour:02d}:{moment.minute:02d}"
    iso = f"{moment.year}-{moment.month:02d}-{moment.day:02d}T{minute}Z"
    day = f"{moment.day:02d} {MONTHS[moment.month - 1]} {moment.year}"
    age = (now or utcnow()) - moment
    text = relative(moment, moment + age) if timedelta(0) <= age < RECENT else day
    return Markup(  # noqa: S704 - every value is escaped
        f'<time datetime="{escape(iso)}" title="{escape(day)}, {minute} UTC">{escape(text)}</time>'
    )


def author_tag(item: Post | Thread, viewer: Viewer) -> Markup:
    """A post's or thread's author: a profile link, or anonymous, or a former member."""
    author = item.author
    if item.is_anonymous:
        html = '<span class="author anonymous">Anonymous member</span>'
        if author and policies.can_see_anonymous_author(viewer, item):
            url, name = escape(url_for("users.show", name=author.name)), escape(author.name)
            html += f' <span class="mod-only">(moderators see: <a href="{url}">{name}</a>)</span>'
        return Markup(html)  # noqa: S704 - fixed markup, the values escaped
    if author:
        url, name = escape(url_for("users.show", name=author.name)), escape(author.name)
        return Markup(f'<a class="author" href="{url}">{name}</a>')  # noqa: S704 - escaped
    return Markup('<span class="author former">Former member</span>')


def full_stop(text: str) -> str:
    """The text ended as a sentence: a full stop unless it already ends with one (or ! ? …)."""
    text = text.rstrip()
    return text if text.endswith(SENTENCE_ENDS) else f"{text}."


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """The noun for a count: "reply" for 1, "replies" otherwise (or the form given)."""
    if count == 1:
        return singular
    if plural_form:
        return plural_form
    if singular[-1:] == "y" and singular[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{singular[:-1]}ies"
    if singular.endswith(("s", "x", "ch", "sh")):
        return f"{singular}es"
    return f"{singular}s"


def counted(count: int, singular: str, plural_form: str = "") -> str:
    """A count with its noun: "1 reply", "1,204 replies"."""
    return f"{count:,} {plural(count, singular, plural_form)}"


def initials(name: str) -> str:
    """Up to two letters for an avatar: "Jane Doe" -> "JD", "sunny_days" -> "SD"."""
    parts = [part for part in _NAME_PARTS.split(name or "") if part[:1].isalnum()]
    letters = "".join(part[0] for part in parts[:2]).upper()
    return letters or "?"


def init_app(app: Flask) -> None:
    """Register the helpers as Jinja globals (templates use them like the macros before)."""
    app.jinja_env.globals["time_tag"] = time_tag
    app.jinja_env.globals["author_tag"] = author_tag
    app.jinja_env.filters["full_stop"] = full_stop
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.filters["counted"] = counted
    app.jinja_env.filters["initials"] = initials
