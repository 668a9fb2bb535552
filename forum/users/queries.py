"""Read helpers for public profiles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, func, select

from forum import policies
from forum.extensions import db
from forum.models import Post, Thread, User


def shown_post_count(viewer: Any, user: User) -> int:
    """The member's posts this viewer could read under their name: published, signed posts
    in threads the viewer may see (never private groups the viewer is not in, never
    anonymous posts, whoever asks)."""
    query = policies.visible_threads(
        viewer,
        select(func.count(Post.id))
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.author_id == user.id,
            Post.is_anonymous == false(),
            Post.is_deleted == false(),
            Post.is_hidden == false(),
            Post.is_pending == false(),
        ),
    )
    return db.session.scalar(query) or 0
