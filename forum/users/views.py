"""Public profiles."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user

from forum import policies
from forum.articles.queries import articles_by
from forum.auth.services import find_user_by_name
from forum.errors import NotFound
from forum.experts.queries import endorsed_posts
from forum.models import User
from forum.threads.queries import user_threads
from forum.users import bp, queries

EXPERT_LIST_LIMIT = 5


@bp.get("/<name>")
def show(name: str) -> str:
    user = find_user_by_name(name[:30])
    if user is None or user.is_deleted:
        raise NotFound()
    profile = policies.expert_profile_of(user)
    is_expert = policies.is_active_expert_profile(profile)
    return render_template(
        "users/show.html",
        user=user,
        expert_profile=profile if is_expert else None,
        threads=user_threads(current_user, user, limit=queries.LIST_LIMIT),
        replies=queries.recent_replies(current_user, user),
        endorsed_replies=queries.endorsed_replies(current_user, user),
        counts=queries.activity_counts(current_user, user),
        **(_expert_activity(user) if is_expert else {}),
    )


def _expert_activity(expert: User) -> dict[str, Any]:
    """An expert's endorsements and published articles, a few of each."""
    published = [a for a in articles_by(current_user, expert, 20) if a.is_published]
    return {
        "endorsed_by_them": endorsed_posts(current_user, expert, 1, EXPERT_LIST_LIMIT),
        "articles": published[:EXPERT_LIST_LIMIT],
    }
