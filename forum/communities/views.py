"""Community pages, joining and leaving, and member management."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policies, web
from forum.auth.services import find_user_by_name
from forum.communities import bp, queries, services
from forum.communities.forms import DecisionForm, JoinForm
from forum.errors import InvalidAction, NotFound
from forum.models import Community, Membership


@bp.get("/communities")
def index() -> str:
    return render_template("communities/index.html", topics=queries.communities_by_topic())


@bp.get("/c/<slug>")
def show(slug: str) -> str:
    community = services.community_by_slug(slug)
    sort = request.args.get("sort", "active")
    if sort not in queries.THREAD_SORTS:
        sort = "active"
    threads = None
    if policies.can_view_community_content(current_user, community):
        threads = queries.community_threads(
            current_user,
            community,
            sort,
            web.page_arg(),
            current_app.config["PER_PAGE"],
            authors=False,
        )
    return render_template(
        "communities/show.html",
        community=community,
        threads=threads,
        sort=sort,
        sorts=queries.THREAD_SORTS,
        membership=policies.membership_in(current_user, community),
        # Only when shown: a form makes a CSRF token, and the token a session cookie.
        join_form=JoinForm() if policies.can_join_community(current_user, community) else None,
    )


@bp.post("/c/<slug>/join")
@login_required
def join(slug: str) -> Response:
    community = services.community_by_slug(slug)
    form = JoinForm()
    if not form.validate_on_submit():
        raise InvalidAction("Keep the message under 500 characters.")
    membership = services.join_community(current_user, community, form.message.data or "")
    if membership.is_approved:
        flash(f"Welcome to {community.name}!", "success")
    else:
        flash("Your request was sent to the group's moderators.", "info")
    return redirect(url_for("communities.show", slug=slug))


@bp.post("/c/<slug>/leave")
@login_required
def leave(slug: str) -> Response:
    community = services.community_by_slug(slug)
    services.leave_community(current_user, community)
    flash(f"You left {community.name}.", "info")
    return redirect(url_for("communities.show", slug=slug))


@bp.get("/c/<slug>/members")
def members(slug: str) -> str:
    community = services.community_by_slug(slug)
    policies.require(
        policies.can_view_members(current_user, community),
        hide=not policies.can_view_community_content(current_user, community),
    )
    pending = []
    if policies.can_manage_members(current_user, community):
        pending = queries.pending_requests(community)
    return render_template(
        "communities/members.html",
        community=community,
        members=queries.members_page(community, web.page_arg(), 50),
        pending=pending,
        decision_form=DecisionForm(),
    )


def _membership_for(slug: str, name: str) -> tuple[Community, Membership]:
    community = services.community_by_slug(slug)
    policies.require(
        policies.can_manage_members(current_user, community),
        hide=not policies.can_view_community_content(current_user, community),
    )
    user = find_user_by_name(name[:30])
    if user is None:
        raise NotFound()
    return community, services.pending_request(community, user)


@bp.post("/c/<slug>/members/<name>/<any(approve, decline):decision>")
@login_required
def decide(slug: str, name: str, decision: str) -> Response:
    _community, membership = _membership_for(slug, name)
    form = DecisionForm()
    if not form.validate_on_submit():
        raise InvalidAction("Keep the message under 500 characters.")
    services.decide_membership(
        current_user, membership, decision == "approve", form.message.data or ""
    )
    flash(f"Request from {name} {'approved' if decision == 'approve' else 'declined'}.", "success")
    return redirect(url_for("communities.members", slug=slug))


@bp.post("/c/<slug>/members/<name>/remove")
@login_required
def remove(slug: str, name: str) -> Response:
    _community, membership = _membership_for(slug, name)
    services.remove_member(current_user, membership)
    flash(f"{name} was removed from the community.", "info")
    return redirect(url_for("communities.members", slug=slug))
