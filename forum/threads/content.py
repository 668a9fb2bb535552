"""What a thread or post may hold: its title, body and tags, checked; its body as safe HTML."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import url_for
from sqlalchemy import select

from forum import text
from forum.drugs.linking import drug_term_finder
from forum.errors import InvalidAction
from forum.extensions import db
from forum.models import User
from forum.text import MENTION_PATTERN, render_markdown

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MAX = 20_000
TAGS_MAX = 5
TAG_PATTERN = re.compile(r"[a-z][a-z0-9-]{1,34}")


def normalize_tags(raw: str | Iterable[str]) -> list[str]:
    """Lower-case, hyphenated, de-duplicated tags; refuses bad ones with a message."""
    words = re.split(r"[,\s]+", raw) if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for word in words:
        tag = word.strip().lstrip("#").lower().replace("_", "-")
        if not tag:
            continue
        if not TAG_PATTERN.fullmatch(tag):
            raise InvalidAction(
                f"“{word[:40]}” is not a tag: use 2-35 letters, digits or hyphens, "
                "starting with a letter.",
                field="tags",
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise InvalidAction(f"Use at most {TAGS_MAX} tags.", field="tags")
    return tags


def check_title(title: str) -> str:
    return text.check_title(title, TITLE_MIN, TITLE_MAX)


def check_body(body: str) -> str:
    return text.check_length(
        body.replace("\x00", "").strip(),
        "body",
        BODY_MAX,
        "Write something first.",
        "Keep it under {longest:,} characters (this is {length:,}).",
    )


def render_body(source: str) -> str:
    """Sanitized HTML for a post: known @members, #tags and drug names become links."""
    names = {name.lower() for name in MENTION_PATTERN.findall(source)}
    known: set[str] = set()
    if names:
        known = set(db.session.scalars(select(User.name_key).where(User.name_key.in_(names))))

    def mention_url(name: str) -> str:
        return url_for("users.show", name=name) if name.lower() in known else ""

    def tag_url(tag: str) -> str:
        return url_for("tags.show", name=tag)

    return render_markdown(
        source, mention_url=mention_url, tag_url=tag_url, link_terms=drug_term_finder()
    )
