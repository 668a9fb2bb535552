"""Public profiles."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from forum.auth.services import find_user_by_name
from forum.errors import NotFound
from forum.threads.queries import user_threads
from forum.users import bp
from forum.users.queries import shown_post_count


@bp.get("/<name>")
def show(name: str) -> str:
    user = find_user_by_name(name[:30])
    if user is None or user.is_deleted:
        raise NotFound()
    threads = user_threads(current_user, user)
    return render_template(
        "users/show.html",
        user=user,
        threads=threads,
        post_count=shown_post_count(current_user, user),
    )
