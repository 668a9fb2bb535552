"""Communities, memberships and their threads."""

from __future__ import annotations

from flask import Response, current_app, jsonify
from flask_login import current_user
from sqlalchemy import select

from forum import policies, web
from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.auth import require_member
from forum.api.spec import PAGING, Param, operation
from forum.api.v1 import lookups
from forum.auth.services import find_user_by_name
from forum.communities import queries, services
from forum.errors import NotFound
from forum.extensions import db, limiter
from forum.models import Community, Membership, MemberStatus, ThreadKind
from forum.threads import queries as thread_queries
from forum.threads import services as thread_services

SLUG = {"slug": ({"type": "string", "pattern": "^[a-z0-9-]{1,60}$"}, "The community's slug.")}
MEMBER = {
    **SLUG,
    "name": ({"type": "string", "minLength": 1, "maxLength": 30}, "The member's public name."),
}
SORT = Param(
    "sort",
    {"type": "string", "enum": list(queries.THREAD_SORTS), "default": "active"},
    "active: latest activity; new: newest; unanswered; expert: with an endorsed answer.",
)


@bp.get("/v1/communities")
@operation(
    summary="List communities (private groups too: their content stays hidden)",
    tag="communities",
    query=PAGING,
    response=s.list_of("Community"),
)
def communities_index() -> Response:
    page, per_page = inputs.page_args()
    query = select(Community).order_by(Community.name, Community.id)
    found = db.paginate(query, page=page, per_page=per_page, error_out=False)
    items = [serialize.community(current_user, c) for c in found.items]
    return jsonify(serialize.page_envelope(found, items))


@bp.get("/v1/communities/<slug>")
@operation(summary="A community", tag="communities", path=SLUG, response=s.ref("Community"))
def communities_show(slug: str) -> Response:
    return jsonify(serialize.community(current_user, lookups.community(slug)))


@bp.post("/v1/communities/<slug>/membership")
@operation(
    summary="Join a public community, or ask to join a private group",
    tag="communities",
    path=SLUG,
    body=s.MESSAGE_BODY,
    writes=True,
    response=s.ref("Membership"),
    description="A private group's moderators decide: the membership stays `pending` until then.",
)
def membership_create(slug: str) -> Response:
    user = require_member()
    found = lookups.community(slug)
    body = inputs.JsonBody(required=False)
    message = body.text("message", required=False, max_length=500)
    body.done()
    return jsonify(serialize.membership(services.join_community(user, found, message)))


@bp.delete("/v1/communities/<slug>/membership")
@operation(
    summary="Leave a community, or withdraw a request to join",
    tag="communities",
    path=SLUG,
    writes=True,
    status=204,
    response=None,
    response_text="Left.",
)
def membership_delete(slug: str) -> Response:
    services.leave_community(require_member(), lookups.community(slug))
    return lookups.no_content()


@bp.get("/v1/communities/<slug>/members")
@operation(
    summary="Members of a community (members only; moderators also see requests to join)",
    tag="communities",
    path=SLUG,
    query=PAGING,
    errors=(403,),
    response=s.list_of("Member", pending=s.nullable(s.array(s.ref("JoinRequest")))),
)
def members_index(slug: str) -> Response:
    found = lookups.community(slug)
    policies.require(
        policies.can_view_members(current_user, found),
        hide=not policies.can_view_community_content(current_user, found),
    )
    page, per_page = inputs.page_args()
    members = queries.members_page(found, page, per_page)
    pending = None
    if policies.can_manage_members(current_user, found):
        pending = [serialize.join_request(m) for m in queries.pending_requests(found)]
    items = [serialize.member(m) for m in members.items]
    return jsonify(serialize.page_envelope(members, items, pending=pending))


def _membership_of(slug: str, name: str) -> tuple[Community, Membership]:
    found = lookups.community(slug)
    policies.require(
        policies.can_manage_members(current_user, found),
        hide=not policies.can_view_community_content(current_user, found),
    )
    user = find_user_by_name(inputs.key(name, 30))
    if user is None:
        raise NotFound()
    return found, services.pending_request(found, user)


@bp.post("/v1/communities/<slug>/members/<name>")
@operation(
    summary="Approve a request to join (community moderators)",
    tag="communities",
    path=MEMBER,
    body=s.MESSAGE_BODY,
    writes=True,
    response=s.ref("Membership"),
)
def members_approve(slug: str, name: str) -> Response:
    actor = require_member()
    _community, membership = _membership_of(slug, name)
    body = inputs.JsonBody(required=False)
    message = body.text("message", required=False, max_length=500)
    body.done()
    decided = services.decide_membership(actor, membership, True, message)
    return jsonify(serialize.membership(decided))


@bp.delete("/v1/communities/<slug>/members/<name>")
@operation(
    summary="Decline a request to join, or remove a member (community moderators)",
    tag="communities",
    path=MEMBER,
    writes=True,
    status=204,
    response=None,
    response_text="Declined or removed.",
)
def members_delete(slug: str, name: str) -> Response:
    actor = require_member()
    _community, membership = _membership_of(slug, name)
    if membership.status == MemberStatus.PENDING:
        services.decide_membership(actor, membership, False)
    else:
        services.remove_member(actor, membership)
    return lookups.no_content()


@bp.get("/v1/communities/<slug>/threads")
@operation(
    summary="Threads of a community",
    tag="threads",
    path=SLUG,
    query=(SORT, *PAGING),
    response=s.list_of("ThreadSummary"),
)
def community_threads_index(slug: str) -> Response:
    found = lookups.community_content(slug)
    sort = inputs.choice_arg("sort", queries.THREAD_SORTS, "active")
    page, per_page = inputs.page_args()
    threads = queries.community_threads(current_user, found, sort, page, per_page)
    items = [serialize.thread_summary(current_user, t) for t in threads.items]
    return jsonify(serialize.page_envelope(threads, items))


@bp.post("/v1/communities/<slug>/threads")
@limiter.limit(
    lambda: current_app.config["POST_RATE_LIMIT"], key_func=web.member_key, override_defaults=False
)
@operation(
    summary="Ask a question or start a discussion",
    tag="threads",
    path=SLUG,
    body=s.NEW_THREAD,
    writes=True,
    status=201,
    response=s.ref("Thread"),
    description="New members' first posts may wait for a moderator: then `status` is pending.",
)
def community_threads_create(slug: str) -> tuple[Response, int]:
    user = require_member()
    found = lookups.community(slug)
    body = inputs.JsonBody()
    title, text = body.text("title", max_length=150), body.text("body")
    tags = body.text_list("tags", max_items=5, max_length=40)
    kind = body.choice("kind", [k.value for k in ThreadKind], default=ThreadKind.QUESTION.value)
    anonymous, confirm = body.flag("anonymous"), body.flag("confirm_personal_info")
    body.done()
    thread = thread_services.create_thread(
        user,
        found,
        title,
        text,
        tags,
        anonymous=anonymous,
        kind=ThreadKind(kind),
        confirm_personal_info=confirm,
    )
    replies = thread_queries.replies_page(user, thread, 1, newest_first=False)
    return lookups.created(serialize.thread(user, thread, replies, {}))
