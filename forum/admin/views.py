"""Admin pages: health topics, communities and community moderators."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from forum import policies, web
from forum.admin import bp
from forum.admin.forms import CommunityForm, ModeratorForm, TopicForm
from forum.auth.services import find_user_by_name
from forum.communities import queries, services
from forum.extensions import db
from forum.models import Community, HealthTopic, ModerationAction


@bp.before_request
@login_required
def require_admin() -> None:
    policies.require(policies.can_manage_communities(current_user))


def _community_form() -> CommunityForm:
    form = CommunityForm()
    form.topic.choices = web.topic_choices()
    return form


def _page(sent: TopicForm | CommunityForm | None = None) -> tuple[str, int]:
    """The admin page; `sent`, a form that came back with errors, is shown in its place."""
    page = render_template(
        "admin/index.html",
        topic_form=sent if isinstance(sent, TopicForm) else TopicForm(formdata=None),
        community_form=sent if isinstance(sent, CommunityForm) else _community_form(),
        moderator_form=ModeratorForm(formdata=None),
        topics=queries.communities_by_topic(),
    )
    return page, 200 if sent is None else web.FORM_ERROR


def _create(
    form: TopicForm | CommunityForm, create: Callable[[], HealthTopic | Community], kind: str
) -> Response | tuple[str, int]:
    """Run a creation form: back to the page with a message, or the page again with errors."""
    done = web.run_form(form, create)
    if done:
        flash(f"{kind} {done.value.name} created.", "success")
        return redirect(url_for("admin.index"))
    return _page(form)


@bp.get("")
def index() -> tuple[str, int]:
    return _page()


@bp.post("/topics")
def create_topic() -> Response | tuple[str, int]:
    form = TopicForm()
    return _create(
        form,
        lambda: services.create_topic(
            current_user, form.slug.data, form.name.data, form.summary.data or ""
        ),
        "Health topic",
    )


@bp.post("/communities")
def create_community() -> Response | tuple[str, int]:
    form = _community_form()
    return _create(
        form,
        lambda: services.create_community(
            current_user,
            form.slug.data,
            form.name.data,
            services.topic_by_slug(form.topic.data),
            description=form.description.data or "",
            rules=form.rules.data or "",
            is_private=bool(form.private.data),
            allow_anonymous=bool(form.allow_anonymous.data),
        ),
        "Community",
    )


@bp.get("/audit")
def audit_log() -> str:
    """The append-only log of moderation, verification and role decisions."""
    query = select(ModerationAction).order_by(
        ModerationAction.created_at.desc(), ModerationAction.id.desc()
    )
    entries = db.paginate(query, page=web.page_arg(), per_page=50, error_out=False)
    return render_template("admin/audit.html", entries=entries)


@bp.post("/communities/<slug>/moderators")
def add_moderator(slug: str) -> Response:
    community = services.community_by_slug(slug)
    form = ModeratorForm()
    user = find_user_by_name(form.name.data or "") if form.validate_on_submit() else None
    if user is None:
        flash("No member has that name.", "error")
        return redirect(url_for("admin.index"))
    services.add_member(current_user, community, user, moderator=True)
    flash(f"{user.name} now moderates {community.name}.", "success")
    return redirect(url_for("admin.index"))
