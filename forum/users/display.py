"""How an author is shown to readers in feeds and the API: a public name, or none at all."""

from __future__ import annotations

from forum.models import Post, Thread

ANONYMOUS = "Anonymous member"
FORMER = "Former member"


def author_label(item: Post | Thread) -> str | None:
    """The public name to show for an item's author, or None for an anonymous or former one."""
    if item.is_anonymous or item.author is None:
        return None
    return item.author.name


def author_name(item: Post | Thread) -> str:
    """The author as everyone reads them: the public name, "Anonymous member" or "Former
    member" (never an anonymous poster's name, whoever asks)."""
    label = author_label(item)
    if label is None:
        return ANONYMOUS if item.is_anonymous else FORMER
    return label
