"""Reporting, the moderation queue, actions on posts, threads and members, and the log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policies, web
from forum.auth.services import find_user_by_name
from forum.communities.services import community_by_slug
from forum.errors import InvalidAction, NotFound
from forum.models import User
from forum.moderation import bp, queries, services
from forum.moderation.forms import ModeratorEditForm, ReasonForm, ReportForm, SuspendForm
from forum.threads.services import post_by_id, thread_by_id


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
@web.limits("REPORT_RATE_LIMIT")
def report(post_id: int) -> Response | tuple[str, int]:
    post = post_by_id(post_id)
    policies.require(policies.can_view_thread(current_user, post.thread), hide=True)
    form = ReportForm()
    if web.run_form(
        form,
        lambda: services.report_post(current_user, post, form.reason.data, form.note.data or ""),
    ):
        flash("Thank you. The moderators will look at it.", "success")
        return redirect(url_for("threads.show", thread_id=post.thread_id))
    return render_template("moderation/report.html", form=form, post=post), web.form_status()


@bp.get("")
@web.requires(policies.can_view_moderation)
def index() -> str:
    return render_template(
        "moderation/index.html",
        reports=queries.report_queue(current_user),
        pending=queries.pending_queue(current_user),
        reason_form=ReasonForm(formdata=None),
    )


POST_ACTIONS = ("hide", "unhide", "approve", "reject", "dismiss")


def _reason_for(action: str, actions: tuple[str, ...]) -> str:
    """The moderator's reason for an action named in the URL (404 for an unknown action)."""
    if action not in actions:
        raise NotFound()
    return ReasonForm().reason.data or ""


@bp.post("/posts/<int:post_id>/<action>")
@login_required
def act_on_post(post_id: int, action: str) -> Response:
    reason = _reason_for(action, POST_ACTIONS)
    post = post_by_id(post_id)
    if action == "hide":
        services.hide_post(current_user, post, reason)
    elif action == "unhide":
        services.unhide_post(current_user, post, reason)
    elif action == "approve":
        services.approve_post(current_user, post)
    elif action == "reject":
        services.reject_post(current_user, post, reason)
    else:
        services.dismiss_reports(current_user, post, reason)
    flash(f"Done: {action}.", "success")
    return web.redirect_back(url_for("threads.show", thread_id=post.thread_id))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int) -> Response | tuple[str, int]:
    post = post_by_id(post_id)
    policies.require(policies.can_view_thread(current_user, post.thread), hide=True)
    policies.require(policies.can_moderate_community(current_user, post.thread.community))
    form = ModeratorEditForm()
    if request.method == "GET":
        form.body.data = post.body_source
    if web.run_form(
        form,
        lambda: services.edit_as_moderator(
            current_user,
            post,
            form.body.data,
            form.reason.data,
            confirm_personal_info=bool(form.confirm_personal_info.data),
        ),
    ):
        flash("The post was edited; the reason shows under it.", "success")
        return redirect(url_for("threads.show", thread_id=post.thread_id) + f"#post-{post.id}")
    return render_template("moderation/edit.html", form=form, post=post), web.form_status()


THREAD_ACTIONS = ("lock", "unlock", "pin", "unpin", "hide", "unhide", "move", "merge")


@bp.post("/threads/<int:thread_id>/<action>")
@login_required
def act_on_thread(thread_id: int, action: str) -> Response:
    reason = _reason_for(action, THREAD_ACTIONS)
    thread = thread_by_id(thread_id)
    if action in ("lock", "unlock"):
        services.set_locked(current_user, thread, action == "lock", reason)
    elif action in ("pin", "unpin"):
        services.set_pinned(current_user, thread, action == "pin")
    elif action == "hide":
        services.hide_thread(current_user, thread, reason)
    elif action == "unhide":
        services.unhide_thread(current_user, thread, reason)
    elif action == "move":
        target = community_by_slug(request.form.get("community", "")[:60])
        services.move_thread(current_user, thread, target, reason)
    else:
        target_id = web.parse_id(request.form.get("target"))
        if target_id is None:
            raise InvalidAction("Give the number of the question to merge into.")
        target_thread = thread_by_id(target_id)
        services.merge_thread(current_user, thread, target_thread, reason)
        flash("Merged.", "success")
        return redirect(url_for("threads.show", thread_id=target_thread.id))
    flash(f"Done: {action}.", "success")
    return web.redirect_back(url_for("threads.show", thread_id=thread.id))


def _member(name: str) -> User:
    user = find_user_by_name(name[:30])
    if user is None:
        raise NotFound()
    return user


@bp.post("/users/<name>/warn")
@login_required
@web.limits("WARN_RATE_LIMIT")
def warn(name: str) -> Response:
    member = _member(name)
    form = ReasonForm()
    if not form.validate_on_submit():
        raise InvalidAction("Write the warning (up to 300 characters).")
    notices_url = url_for("moderation.notices", _external=True)
    services.warn_member(current_user, member, form.reason.data or "", notices_url)
    flash(f"Done: warned {member.name}.", "success")
    return web.redirect_back(url_for("moderation.index"))


@bp.post("/users/<name>/<any(suspend, ban, reinstate):action>")
@login_required
def act_on_member(name: str, action: str) -> Response:
    member = _member(name)
    if action == "suspend":
        form = SuspendForm()
        if not form.validate_on_submit():
            raise InvalidAction("Give the number of days (1-365) and a reason.")
        services.suspend_member(current_user, member, form.days.data, form.reason.data)
    else:
        reason = ReasonForm().reason.data or ""
        if action == "ban":
            services.ban_member(current_user, member, reason)
        else:
            services.lift_sanctions(current_user, member, reason)
    flash(f"Done: {action} {member.name}.", "success")
    return web.redirect_back(url_for("moderation.index"))


@bp.get("/notices")
@login_required
def notices() -> str:
    """The member's own warnings and sanctions, with the moderators' words."""
    return render_template("moderation/notices.html", notices=queries.member_notices(current_user))


@bp.get("/log")
@web.requires(policies.can_view_moderation)
def log() -> str:
    return render_template(
        "moderation/log.html", entries=queries.audit_page(current_user, web.page_arg())
    )
