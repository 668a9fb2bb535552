"""Posts: editing, deleting, helpful votes, expert endorsements and reports."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, jsonify
from flask_login import current_user
from sqlalchemy import select

from forum import reports
from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.auth import require_member, route_limit
from forum.api.spec import deletion, operation
from forum.api.v1 import lookups, responses
from forum.experts import services as experts
from forum.experts.services import NOTE_MAX, endorsements_for
from forum.extensions import db
from forum.models import EvidenceLevel, Post, ReportReason, User, Vote
from forum.moderation import services as moderation
from forum.threads import services

VOTE_LIMIT = route_limit("VOTE_RATE_LIMIT", per_member=True)


def _post_body(post: Post) -> dict[str, object]:
    return serialize.post(
        current_user, post, post.thread, endorsements_for([post.id]).get(post.id, [])
    )


@bp.patch("/v1/posts/<int:post_id>")
@operation(
    summary="Edit your post (the opening post may also change the thread's title)",
    tag="posts",
    body=s.EDIT_POST,
    response=s.ref("Post"),
)
def posts_update(post_id: int) -> Response:
    user = require_member()
    post = lookups.post(post_id)
    body = inputs.JsonBody()
    text, title = body.text("body"), body.optional_text("title", max_length=150)
    confirm = body.flag("confirm_personal_info")
    body.done()
    services.edit_post(user, post, text, title, confirm_personal_info=confirm)
    return jsonify(_post_body(post))


@bp.delete("/v1/posts/<int:post_id>")
@deletion("Delete your post (deleting the opening post deletes the thread)", "posts", "Deleted.")
def posts_delete(post_id: int) -> Response:
    services.delete_post(require_member(), lookups.post(post_id))
    return responses.no_content()


def _vote(post_id: int, change: Callable[[User, Post], None]) -> Response:
    """Vote or take the vote back, then answer with the post's count and the member's vote."""
    user = require_member()
    post = lookups.post(post_id)
    change(user, post)
    db.session.refresh(post)
    voted = db.session.scalar(
        select(Vote.id).where(Vote.post_id == post.id, Vote.user_id == user.id)
    )
    return jsonify({"post_id": post.id, "helpful_count": post.helpful_count, "voted": bool(voted)})


@bp.post("/v1/posts/<int:post_id>/helpful")
@VOTE_LIMIT
@operation(summary="Mark a reply helpful", tag="posts", response=s.ref("Vote"))
def helpful_create(post_id: int) -> Response:
    return _vote(post_id, services.vote_helpful)


@bp.delete("/v1/posts/<int:post_id>/helpful")
@VOTE_LIMIT
@operation(summary="Take back a helpful vote", tag="posts", response=s.ref("Vote"))
def helpful_delete(post_id: int) -> Response:
    return _vote(post_id, services.withdraw_vote)


@bp.post("/v1/posts/<int:post_id>/endorsements")
@operation(
    summary="Endorse a reply (verified experts in the thread's topic); again to update",
    tag="posts",
    body=s.ENDORSE,
    status=201,
    response=s.ref("Post"),
)
def endorsements_create(post_id: int) -> tuple[Response, int]:
    user = require_member()
    post = lookups.post(post_id)
    body = inputs.JsonBody()
    note = body.text("note", required=False, max_length=NOTE_MAX)
    level = body.choice("evidence_level", [level.value for level in EvidenceLevel])
    body.done()
    experts.endorse_post(user, post, note, level)
    return responses.created(_post_body(post))


@bp.delete("/v1/posts/<int:post_id>/endorsements")
@deletion("Withdraw your endorsement", "posts", "Withdrawn.")
def endorsements_delete(post_id: int) -> Response:
    experts.withdraw_endorsement(require_member(), lookups.post(post_id))
    return responses.no_content()


@bp.post("/v1/posts/<int:post_id>/reports")
@route_limit("REPORT_RATE_LIMIT", per_member=True)
@operation(
    summary="Report a post to the moderators",
    tag="posts",
    body=s.REPORT,
    status=201,
    response=s.ref("Report"),
)
def reports_create(post_id: int) -> tuple[Response, int]:
    user = require_member()
    post = lookups.post(post_id)
    body = inputs.JsonBody()
    reason = body.choice("reason", [reason.value for reason in ReportReason])
    note = body.text("note", required=False, max_length=reports.NOTE_MAX)
    body.done()
    report = moderation.report_post(user, post, reason, note)
    return responses.created(
        {
            "id": report.id,
            "post_id": post.id,
            "reason": report.reason.value,
            "status": report.status.value,
            "created_at": serialize.iso(report.created_at),
        }
    )
