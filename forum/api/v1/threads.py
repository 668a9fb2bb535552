"""A thread with its replies; replying and accepting an answer."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user

from forum import policies
from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.auth import require_member, route_limit
from forum.api.spec import PAGE, Param, operation
from forum.api.v1 import lookups, responses
from forum.experts.services import endorsements_for
from forum.extensions import db
from forum.models import Post, Thread
from forum.threads import queries, services

ORDER = Param(
    "order",
    {"type": "string", "enum": ["best", "newest"], "default": "best"},
    "best: endorsed, accepted, then most helpful first; newest: newest first.",
)


def thread_body(thread: Thread, page: int = 1, newest_first: bool = False) -> dict[str, object]:
    """The thread with one page of the replies the viewer may see (bounded queries)."""
    replies = queries.replies_page(current_user, thread, page, newest_first)
    posts = [thread.opening_post, *replies.items] if thread.opening_post else replies.items
    endorsements = endorsements_for([post.id for post in replies.items])
    # One query for the expert standing of every author and endorser on the page.
    policies.expert_profiles(
        {post.author_id for post in posts if post.author_id}
        | {e.expert_id for rows in endorsements.values() for e in rows}
    )
    return serialize.thread(current_user, thread, replies, endorsements)


@bp.get("/v1/threads/<int:thread_id>")
@operation(
    summary="A thread and a page of its replies",
    tag="threads",
    query=(ORDER, PAGE),
    response=s.ref("Thread"),
    description=f"Replies come {queries.REPLIES_PER_PAGE} to a page; `posts_page` tells more.",
)
def threads_show(thread_id: int) -> Response:
    thread = lookups.thread(thread_id)
    order = inputs.choice_arg("order", ("best", "newest"), "best")
    page = inputs.int_arg("page", 1, 1, inputs.MAX_PAGE)
    return jsonify(thread_body(thread, page, newest_first=order == "newest"))


@bp.post("/v1/threads/<int:thread_id>/posts")
@route_limit("POST_RATE_LIMIT", per_member=True)
@operation(
    summary="Reply to a thread",
    tag="threads",
    body=s.NEW_POST,
    status=201,
    response=s.ref("Post"),
)
def thread_posts_create(thread_id: int) -> tuple[Response, int]:
    user = require_member()
    thread = lookups.thread(thread_id)
    body = inputs.JsonBody()
    text = body.text("body")
    anonymous, confirm = body.flag("anonymous"), body.flag("confirm_personal_info")
    body.done()
    post = services.post_reply(
        user, thread, text, anonymous=anonymous, confirm_personal_info=confirm
    )
    return responses.created(serialize.post(user, post, thread, []))


@bp.post("/v1/threads/<int:thread_id>/accept")
@operation(
    summary="Mark the reply that helped (the asker only); null takes the mark back",
    tag="threads",
    body=s.ACCEPT,
    response=s.ref("Accepted"),
)
def threads_accept(thread_id: int) -> Response:
    user = require_member()
    thread = lookups.thread(thread_id)
    body = inputs.JsonBody()
    post_id = body.optional_id("post_id")
    body.done()
    post = None
    if post_id is not None:
        post = db.session.get(Post, post_id)
        if post is None or post.thread_id != thread.id:
            raise inputs.BadInput({"post_id": "Choose a reply in this thread."})
    services.accept_answer(user, thread, post)
    return jsonify({"thread_id": thread.id, "accepted_post_id": thread.accepted_post_id})
