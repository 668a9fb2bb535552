"""Thread pages, asking, replying, editing, deleting, votes, accepting and following."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from forum import policies
from forum.communities.services import community_by_slug
from forum.communities.views import page_arg
from forum.errors import DomainError, InvalidAction, attach_to_form
from forum.extensions import db
from forum.models import Community, ThreadKind
from forum.threads import bp, queries, services
from forum.threads.forms import EditForm, ReplyForm, ThreadForm

FORM_ERROR = 422


def _community_choices(form: ThreadForm) -> None:
    communities = db.session.scalars(select(Community).order_by(Community.name)).all()
    form.community.choices = [
        (c.slug, f"{c.name}{' (private group)' if c.is_private else ''}")
        for c in communities
        if policies.can_post_in_community(current_user, c)
    ]


@bp.route("/threads/new", methods=["GET", "POST"])
@login_required
def new() -> Response | tuple[str, int]:
    form = ThreadForm()
    _community_choices(form)
    if request.method == "GET" and request.args.get("community"):
        form.community.data = request.args["community"][:60]
    if form.validate_on_submit():
        try:
            thread = services.create_thread(
                current_user,
                community_by_slug(form.community.data),
                form.title.data,
                form.body.data,
                form.tags.data or "",
                anonymous=bool(form.anonymous.data),
                kind=ThreadKind(form.kind.data or "question"),
            )
        except DomainError as error:
            if error.status == 404:
                raise
            attach_to_form(form, error)
        else:
            flash("Your post is up. You will see replies on your followed threads page.", "success")
            return redirect(url_for("threads.show", thread_id=thread.id))
    status = FORM_ERROR if request.method == "POST" else 200
    return render_template("threads/new.html", form=form), status


@bp.get("/threads/<int:thread_id>")
def show(thread_id: int) -> str:
    thread = services.thread_by_id(thread_id)
    policies.require(policies.can_view_thread(current_user, thread), hide=True)
    return render_thread(thread, ReplyForm())


def render_thread(thread: Any, reply_form: ReplyForm) -> str:
    newest_first = request.args.get("order") == "newest"
    replies = queries.replies_page(thread, page_arg(), newest_first)
    subscription = queries.subscription_of(current_user, thread)
    if subscription is not None and subscription.last_seen_at < thread.last_activity_at:
        services.mark_thread_seen(current_user, thread)
    return render_template(
        "threads/show.html",
        thread=thread,
        opening=thread.opening_post,
        replies=replies,
        newest_first=newest_first,
        voted=queries.voted_post_ids(current_user, replies.items),
        is_following=subscription is not None,
        reply_form=reply_form,
    )


@bp.post("/threads/<int:thread_id>/replies")
@login_required
def reply(thread_id: int) -> Response | tuple[str, int]:
    thread = services.thread_by_id(thread_id)
    policies.require(policies.can_view_thread(current_user, thread), hide=True)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            post = services.post_reply(
                current_user, thread, form.body.data, anonymous=bool(form.anonymous.data)
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            attach_to_form(form, error)
        else:
            return redirect(url_for("threads.show", thread_id=thread.id) + f"#post-{post.id}")
    return render_thread(thread, form), FORM_ERROR


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int) -> Response | tuple[str, int]:
    post = services.post_by_id(post_id)
    policies.require(policies.can_view_thread(current_user, post.thread), hide=True)
    policies.require(policies.can_edit_post(current_user, post))
    form = EditForm()
    if request.method == "GET":
        form.body.data = post.body_source
        form.title.data = post.thread.title
    elif form.validate_on_submit():
        title = form.title.data if post.is_opening else None
        try:
            services.edit_post(current_user, post, form.body.data, title)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for("threads.show", thread_id=post.thread_id) + f"#post-{post.id}")
    status = FORM_ERROR if request.method == "POST" else 200
    return render_template("threads/edit.html", form=form, post=post), status


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int) -> Response:
    post = services.post_by_id(post_id)
    policies.require(policies.can_view_thread(current_user, post.thread), hide=True)
    services.delete_post(current_user, post)
    flash("Your post was deleted.", "info")
    if post.is_opening:
        return redirect(url_for("communities.show", slug=post.thread.community.slug))
    return redirect(url_for("threads.show", thread_id=post.thread_id))


@bp.get("/posts/<int:post_id>/history")
@login_required
def history(post_id: int) -> str:
    post = services.post_by_id(post_id)
    policies.require(policies.can_view_thread(current_user, post.thread), hide=True)
    policies.require(policies.can_view_history(current_user, post))
    return render_template("threads/history.html", post=post, revisions=queries.revisions(post))


@bp.post("/posts/<int:post_id>/helpful")
@login_required
def vote(post_id: int) -> Response:
    post = services.post_by_id(post_id)
    action = request.form.get("action", "add")
    if action == "remove":
        services.withdraw_vote(current_user, post)
    elif action == "add":
        services.vote_helpful(current_user, post)
    else:
        raise InvalidAction("Unknown vote action.")
    return redirect(url_for("threads.show", thread_id=post.thread_id) + f"#post-{post.id}")


@bp.post("/threads/<int:thread_id>/accept")
@login_required
def accept(thread_id: int) -> Response:
    thread = services.thread_by_id(thread_id)
    raw = request.form.get("post_id", "")
    post = None
    if raw:
        if not raw.isdigit():
            raise InvalidAction("Choose a reply.")
        post = services.post_by_id(int(raw))
    services.accept_answer(current_user, thread, post)
    flash("Marked as the reply that helped you." if post else "Mark taken back.", "success")
    anchor = f"#post-{post.id}" if post else ""
    return redirect(url_for("threads.show", thread_id=thread.id) + anchor)


@bp.post("/threads/<int:thread_id>/follow")
@login_required
def follow(thread_id: int) -> Response:
    thread = services.thread_by_id(thread_id)
    if request.form.get("action") == "unfollow":
        services.unfollow_thread(current_user, thread)
        flash("You no longer follow this thread.", "info")
    else:
        services.follow_thread(current_user, thread)
        flash("You follow this thread: new replies show on your followed threads page.", "info")
    return redirect(url_for("threads.show", thread_id=thread.id))


@bp.get("/following")
@login_required
def following() -> str:
    threads = queries.followed_threads(current_user, page_arg(), current_app.config["PER_PAGE"])
    return render_template("threads/following.html", threads=threads)
