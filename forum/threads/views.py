"""Thread pages, asking, replying, editing, deleting, votes, accepting and following."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policies, safety, web
from forum.communities.services import community_by_slug
from forum.errors import InvalidAction, attach_to_form
from forum.experts.forms import EndorseForm
from forum.experts.services import endorsements_for
from forum.extensions import limiter
from forum.models import Community, Post, Thread, ThreadKind
from forum.search import services as search_services
from forum.threads import bp, queries, services
from forum.threads.content import check_body, render_body
from forum.threads.forms import EditForm, ReplyForm, ThreadForm


@bp.route("/threads/new", methods=["GET", "POST"])
@login_required
@web.composer_limits
def new() -> Response | tuple[str, int]:
    form = ThreadForm()
    form.community.choices = web.community_choices(
        lambda community: policies.can_post_in_community(current_user, community)
    )
    if request.method == "GET" and request.args.get("community"):
        form.community.data = request.args["community"][:60]
    if request.method == "GET" and not form.title.data:
        # "Ask this" links from search carry the title; similar questions show at once.
        form.title.data = request.args.get("title", "")[:150].strip()
    preview = _preview(form)
    done = (
        None
        if preview is not None
        else web.run_form(
            form,
            lambda: services.create_thread(
                current_user,
                community_by_slug(form.community.data),
                form.title.data,
                form.body.data,
                form.tags.data or "",
                anonymous=bool(form.anonymous.data),
                kind=ThreadKind(form.kind.data or "question"),
                confirm_personal_info=bool(form.confirm_personal_info.data),
            ),
        )
    )
    if done:
        _after_posting(done.value.opening_post)
        return redirect(url_for("threads.show", thread_id=done.value.id))
    similar = search_services.similar_questions(current_user, form.title.data)
    page = render_template(
        "threads/new.html", form=form, similar=similar, preview=preview, **_compose_context(form)
    )
    return page, 200 if preview is not None else web.form_status()


def _preview(form: ThreadForm | ReplyForm) -> str | None:
    """The body as it would be posted, for the Preview button: only its size is checked.

    None when the form was not sent for a preview; "" when the body is empty or too long
    (the message shows next to the field, as for a post). Nothing is saved or flashed.
    """
    if request.method != "POST" or "preview" not in request.form:
        return None
    try:
        return render_body(check_body(form.body.data or ""))
    except InvalidAction as error:
        attach_to_form(form, error)
        return ""


def _compose_context(form: ThreadForm | ReplyForm | EditForm | None) -> dict[str, Any]:
    """What the compose form needs: the PII confirmation box and crisis resources."""
    needs_confirmation = form is not None and (
        any("tick the box to confirm" in message for message in form.body.errors)
        or bool(form.confirm_personal_info.data)
    )
    return {
        "needs_confirmation": needs_confirmation,
        "crisis_phrases": safety.crisis_phrases(),
        "crisis_resources": safety.crisis_resources(),
    }


def _after_posting(post: Post | None) -> None:
    if post is None:
        return
    if post.is_pending:
        flash(
            "Thank you. A moderator checks new members' first posts before others see them.",
            "info",
        )
    elif post.is_urgent:
        flash(
            "Your post is up. If you are in danger, please reach out now: the numbers are below.",
            "warning",
        )
    else:
        flash("Your post is up. You will see replies on your followed threads page.", "success")


@bp.get("/threads/<int:thread_id>")
def show(thread_id: int) -> str | Response:
    thread = queries.thread_for_page(thread_id)
    policies.require(policies.can_view_community_content(current_user, thread.community), hide=True)
    if thread.merged_into_id:
        # Readers are sent on only to a question they may see: the new id is no leak.
        target = services.thread_by_id(thread.merged_into_id)
        policies.require(policies.can_view_thread(current_user, target), hide=True)
        return redirect(url_for("threads.show", thread_id=target.id), 301)
    policies.require(policies.can_view_thread(current_user, thread), hide=True)
    # Forms cost a CSRF token and field binding each: built only for viewers who see them.
    return render_thread(thread, ReplyForm() if policies.can_reply(current_user, thread) else None)


def render_thread(thread: Thread, reply_form: ReplyForm | None, preview: str | None = None) -> str:
    viewer = web.viewer()  # asked per post below: the object, not the proxy
    # Marked seen before the page is loaded: the commit expires every loaded row, and the
    # template would then reload each post of the page on its own.
    subscription = queries.subscription_of(viewer, thread)
    # The member's previous visit, for the "new since your last visit" divider.
    seen_before = subscription.last_seen_at if subscription is not None else None
    # A preview writes nothing, not even the "seen" mark.
    if (
        preview is None
        and subscription is not None
        and subscription.last_seen_at < thread.last_activity_at
    ):
        services.mark_thread_seen(viewer, thread)
    newest_first = request.args.get("order") == "newest"
    replies = queries.replies_page(viewer, thread, web.page_arg(), newest_first)
    posts = [thread.opening_post, *replies.items] if thread.opening_post else replies.items
    visible = [post for post in posts if policies.can_view_post(viewer, post)]
    endorsements = endorsements_for([post.id for post in posts])
    # One query for every author's and endorser's expert standing on this page.
    viewer_id = getattr(viewer, "id", None)
    policies.expert_profiles(
        {post.author_id for post in posts if post.author_id}
        | {e.expert_id for rows in endorsements.values() for e in rows}
        | ({viewer_id} if viewer_id else set())
    )
    return render_template(
        "threads/show.html",
        thread=thread,
        opening=thread.opening_post,
        replies=replies,
        newest_first=newest_first,
        voted=queries.voted_post_ids(viewer, replies.items),
        endorsements=endorsements,
        # Decided once here: a template call per post and control cost more than the checks.
        actions=policies.post_actions(viewer, thread, posts),
        expert_answers=policies.expert_answer_profiles(posts),
        # Only verified experts may endorse (policies.can_endorse): nobody else sees the form.
        endorse_form=(EndorseForm(formdata=None) if policies.is_verified_expert(viewer) else None),
        show_crisis=any(post.is_urgent and not post.is_deleted for post in visible),
        similar=[] if thread.is_deleted else search_services.similar_questions(viewer, thread),
        communities=_move_targets(thread),
        **_compose_context(reply_form),
        is_following=subscription is not None,
        seen_before=seen_before,
        reply_form=reply_form,
        preview=preview,
    )


def _move_targets(thread: Thread) -> list[Community]:
    """Communities a moderator may move this thread to (only computed for moderators)."""
    if not policies.can_moderate_community(current_user, thread.community):
        return []
    return web.communities_where(
        lambda c: c.id != thread.community_id and policies.can_moderate_community(current_user, c)
    )


@bp.post("/threads/<int:thread_id>/replies")
@login_required
@web.composer_limits
def reply(thread_id: int) -> Response | tuple[str, int]:
    thread = services.thread_by_id(thread_id)
    policies.require(policies.can_view_thread(current_user, thread), hide=True)
    form = ReplyForm()
    preview = _preview(form)
    if preview is not None:
        return render_thread(thread, form, preview), 200
    done = web.run_form(
        form,
        lambda: services.post_reply(
            current_user,
            thread,
            form.body.data,
            anonymous=bool(form.anonymous.data),
            confirm_personal_info=bool(form.confirm_personal_info.data),
        ),
    )
    if done:
        _after_posting(done.value)
        return redirect(url_for("threads.show", thread_id=thread.id) + f"#post-{done.value.id}")
    return render_thread(thread, form), web.FORM_ERROR


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
    title = form.title.data if post.is_opening else None
    done = web.run_form(
        form,
        lambda: services.edit_post(
            current_user,
            post,
            form.body.data,
            title,
            confirm_personal_info=bool(form.confirm_personal_info.data),
        ),
    )
    if done:
        _after_editing(post)
        return redirect(url_for("threads.show", thread_id=post.thread_id) + f"#post-{post.id}")
    page = render_template("threads/edit.html", form=form, post=post, **_compose_context(form))
    return page, web.form_status()


def _after_editing(post: Post) -> None:
    if post.is_pending:
        flash("Your changes are saved. A moderator checks them before others see the post.", "info")
    elif post.is_urgent:
        flash(
            "Your changes are saved. If you are in danger, please reach out now: the numbers "
            "are below.",
            "warning",
        )
    else:
        flash("Your changes are saved.", "success")


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
@limiter.limit(lambda: current_app.config["VOTE_RATE_LIMIT"], key_func=web.member_key)
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
        post_id = web.parse_id(raw)
        if post_id is None:
            raise InvalidAction("Choose a reply.")
        post = services.post_by_id(post_id)
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
    threads = queries.followed_threads(current_user, web.page_arg(), current_app.config["PER_PAGE"])
    return render_template("threads/following.html", threads=threads)
