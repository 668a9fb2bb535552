"""Tag pages: threads with a tag, across the communities the viewer may see."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from forum import web
from forum.communities.queries import thread_list_query
from forum.errors import NotFound
from forum.extensions import db
from forum.models import Tag, Thread
from forum.tags import bp
from forum.threads.content import TAG_PATTERN


@bp.get("/<name>")
def show(name: str) -> str:
    name = name.lower()
    if not TAG_PATTERN.fullmatch(name):
        raise NotFound()
    # Every well-formed tag has a page, so a tag used only in private groups looks unused.
    query = thread_list_query(current_user, "active").where(Thread.tags.any(Tag.name == name))
    threads = db.paginate(
        query, page=web.page_arg(), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    return render_template("tags/show.html", name=name, threads=threads)
