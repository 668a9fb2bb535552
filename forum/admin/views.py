"""Admin pages: health topics, communities and community moderators."""

from __future__ import annotations

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
from forum.models import ModerationAction


@bp.before_request
@login_required
def require_admin() -> None:
    policies.require(policies.can_manage_communities(current_user))


def _community_form() -> CommunityForm:
    form = CommunityForm()
    form.topic.choices = web.topic_choices()
    return form


def _page(
    topic_form: TopicForm | None = None,
    community_form: CommunityForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "admin/index.html",
        topic_form=topic_form or TopicForm(formdata=None),
        community_form=community_form or _community_form(),
        moderator_form=ModeratorForm(formdata=None),
        topics=queries.communities_by_topic(),
    )
    return page, status


@bp.get("")
def index() -> tuple[str, int]:
    return _page()


@bp.post("/topics")
def create_topic() -> Response | tuple[str, int]:
    form = TopicForm()
    done = web.run_form(
        form,
        lambda: services.create_topic(
            current_user, form.slug.data, form.name.data, form.summary.data or ""
        ),
    )
    if done:
        flash(f"Health topic {done.value.name} created.", "success")
        return redirect(url_for("admin.index"))
    return _page(topic_form=form, status=web.FORM_ERROR)


@bp.post("/communities")
def create_community() -> Response | tuple[str, int]:
    form = _community_form()
    done = web.run_form(
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
    )
    if done:
        flash(f"Community {done.value.name} created.", "success")
        return redirect(url_for("admin.index"))
    return _page(community_form=form, status=web.FORM_ERROR)


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
