"""Communities, memberships and their threads."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, jsonify
from flask_login import current_user
from sqlalchemy import select

from forum import policies
from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.auth import require_member, route_limit
from forum.api.spec import PAGING, Param, deletion, key_path, listing, operation, slug_path
from forum.api.v1 import lookups, responses
from forum.communities import queries, services
from forum.models import Community, Membership, MemberStatus, ThreadKind, Viewer
from forum.threads import queries as thread_queries
from forum.threads import services as thread_services

SLUG = slug_path("The community's slug.")
MEMBER = {**SLUG, **key_path("name", lookups.NAME_MAX, "The member's public name.")}
MESSAGE_MAX = 500
SORT = Param(
    "sort",
    {"type": "string", "enum": list(queries.THREAD_SORTS), "default": "active"},
    "active: latest activity; new: newest; unanswered; expert: with an endorsed answer.",
)


def _community_where(slug: str, allowed: Callable[[Viewer, Community], bool]) -> Community:
    """A community where the viewer is allowed this: else 403, or 404 if its content is hidden."""
    found = lookups.community(slug)
    policies.require(
        allowed(current_user, found),
        hide=not policies.can_view_community_content(current_user, found),
    )
    return found


def _message() -> str:
    """The optional message of a request to join, or of its approval."""
    body = inputs.JsonBody(required=False)
    message = body.text("message", required=False, max_length=MESSAGE_MAX)
    body.done()
    return message


@bp.get("/v1/communities")
@listing(
    "List communities (private groups too: their content stays hidden)", "communities", "Community"
)
def communities_index() -> Response:
    query = select(Community).order_by(Community.name, Community.id)
    return responses.page_of(query, lambda c: serialize.community(current_user, c))


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
    response=s.ref("Membership"),
    description="A private group's moderators decide: the membership stays `pending` until then.",
)
def membership_create(slug: str) -> Response:
    user = require_member()
    found = lookups.community(slug)
    membership = services.join_community(user, found, _message())
    return jsonify(serialize.membership(membership))


@bp.delete("/v1/communities/<slug>/membership")
@deletion("Leave a community, or withdraw a request to join", "communities", "Left.", path=SLUG)
def membership_delete(slug: str) -> Response:
    services.leave_community(require_member(), lookups.community(slug))
    return responses.no_content()


@bp.get("/v1/communities/<slug>/members")
@listing(
    "Members of a community (members only; moderators also see requests to join)",
    "communities",
    "Member",
    fields={"pending": s.nullable(s.array(s.ref("JoinRequest")))},
    path=SLUG,
    errors=(403,),
)
def members_index(slug: str) -> Response:
    found = _community_where(slug, policies.can_view_members)
    page, per_page = inputs.page_args()
    members = queries.members_page(found, page, per_page)
    pending = None
    if policies.can_manage_members(current_user, found):
        pending = [serialize.join_request(m) for m in queries.pending_requests(found)]
    return responses.page(members, serialize.member, pending=pending)


def _membership_of(slug: str, name: str) -> Membership:
    found = _community_where(slug, policies.can_manage_members)
    return services.pending_request(found, lookups.account(name))


@bp.post("/v1/communities/<slug>/members/<name>")
@operation(
    summary="Approve a request to join (community moderators)",
    tag="communities",
    path=MEMBER,
    body=s.MESSAGE_BODY,
    response=s.ref("Membership"),
)
def members_approve(slug: str, name: str) -> Response:
    actor = require_member()
    membership = _membership_of(slug, name)
    decided = services.decide_membership(actor, membership, True, _message())
    return jsonify(serialize.membership(decided))


@bp.delete("/v1/communities/<slug>/members/<name>")
@deletion(
    "Decline a request to join, or remove a member (community moderators)",
    "communities",
    "Declined or removed.",
    path=MEMBER,
)
def members_delete(slug: str, name: str) -> Response:
    actor = require_member()
    membership = _membership_of(slug, name)
    if membership.status == MemberStatus.PENDING:
        services.decide_membership(actor, membership, False)
    else:
        services.remove_member(actor, membership)
    return responses.no_content()


@bp.get("/v1/communities/<slug>/threads")
@listing("Threads of a community", "threads", "ThreadSummary", (SORT, *PAGING), path=SLUG)
def community_threads_index(slug: str) -> Response:
    found = lookups.community_content(slug)
    sort = inputs.choice_arg("sort", queries.THREAD_SORTS, "active")
    page, per_page = inputs.page_args()
    threads = queries.community_threads(current_user, found, sort, page, per_page)
    return responses.page(threads, lambda t: serialize.thread_summary(current_user, t))


@bp.post("/v1/communities/<slug>/threads")
@route_limit("POST_RATE_LIMIT", per_member=True)
@operation(
    summary="Ask a question or start a discussion",
    tag="threads",
    path=SLUG,
    body=s.NEW_THREAD,
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
    return responses.created(serialize.thread(user, thread, replies, {}))
