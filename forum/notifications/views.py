"""Notification pages: the list, opening one, mark all read, settings, one-click unsubscribe."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policies, web
from forum.extensions import csrf
from forum.notifications import bp, forms, newsletter, queries, services


@bp.get("/")
@login_required
def index() -> str:
    page = web.page_arg()
    entries, has_more = queries.page_of(current_user, page, current_app.config["PER_PAGE"])
    form = forms.MarkAllReadForm()
    return render_template(
        "notifications/index.html", entries=entries, has_more=has_more, page=page, form=form
    )


@bp.get("/<int:notification_id>")
@login_required
def show(notification_id: int) -> Response:
    notification = services.open_notification(current_user, notification_id)
    slugs = queries.community_slugs([notification])
    return redirect(queries.target_path(notification, slugs.get(notification.community_id or 0)))


@bp.post("/read")
@login_required
def update() -> Response:
    if web.run_form(forms.MarkAllReadForm(), lambda: services.mark_read(current_user)):
        flash("All notifications are marked read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def edit() -> Response | tuple[str, int]:
    channels, full_text = queries.settings_of(current_user)
    labels = queries.kind_labels()
    form = forms.settings_form(labels, data={"channels": channels, "full_text": full_text})
    done = web.run_form(
        form,
        lambda: services.save_settings(
            current_user, dict(form.channels.data), bool(form.full_text.data)
        ),
    )
    if done:
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.edit"))
    return render_template(
        "notifications/settings.html",
        form=form,
        newsletter_status=newsletter.member_status(current_user),
        newsletter_form=forms.NewsletterChoiceForm(),
    ), web.form_status()


@bp.post("/settings/newsletter/<any(join, leave):choice>")
@login_required
def newsletter_choice(choice: str) -> Response:
    """A member signs their account address up (confirmed by e-mail) or leaves at once."""
    join = choice == "join"
    action = newsletter.join_as_member if join else newsletter.leave_as_member
    if web.run_form(forms.NewsletterChoiceForm(), lambda: action(current_user)):
        flash(
            "A confirmation link is on its way to your e-mail address."
            if join
            else "You are off the newsletter list.",
            "success",
        )
    return redirect(url_for("notifications.edit") + "#newsletter")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def delete(token: str) -> tuple[str, int]:
    """GET asks (link checkers must not unsubscribe); POST is RFC 8058 one-click."""
    if request.method == "GET":
        if not services.is_valid_unsubscribe(token):
            abort(404)
        return render_template("notifications/unsubscribe.html", token=token, done=False), 200
    kind = services.unsubscribe(token)
    label = queries.kind_labels().get(kind, "digest e-mails")
    return render_template("notifications/unsubscribe.html", label=label, done=True), 200


@bp.get("/mail")
@web.requires(policies.can_view_mail_outbox)
def outbox() -> str:
    counts, failed = queries.mail_problems()
    return render_template("notifications/mail.html", counts=counts, failed=failed)


@bp.route("/newsletter", methods=["GET", "POST"])
@web.limits("NEWSLETTER_RATE_LIMIT")
def newsletter_create() -> Response | tuple[str, int]:
    form = forms.NewsletterForm()
    if web.run_form(form, lambda: newsletter.subscribe(form.email.data or "", current_user)):
        flash(
            "Thank you. If the address can receive it, a confirmation link is on its way.", "info"
        )
        return redirect(url_for("notifications.newsletter_create"))
    return render_template("notifications/newsletter.html", form=form), web.form_status()


@bp.get("/newsletter/confirm/<token>")
def newsletter_update(token: str) -> Response:
    newsletter.confirm(token)
    flash("Your newsletter subscription is confirmed.", "success")
    return redirect(url_for("notifications.newsletter_create"))


@bp.route("/newsletter/leave/<token>", methods=["GET", "POST"])
@csrf.exempt
def newsletter_delete(token: str) -> tuple[str, int]:
    """GET asks; POST (also RFC 8058 one-click) removes the address."""
    if request.method == "POST":
        newsletter.leave(token)
    done = request.method == "POST"
    return render_template("notifications/newsletter_leave.html", token=token, done=done), 200


@bp.route("/newsletter/issue", methods=["GET", "POST"])
@web.requires(policies.can_send_newsletter)
def newsletter_new() -> Response | tuple[str, int]:
    form = forms.IssueForm()
    form.articles.choices = [(a.id, a.title) for a in newsletter.pickable_articles()]
    form.answers.choices = [
        (p.id, f"{p.thread.title} (reply #{p.id})") for p in newsletter.pickable_answers()
    ]
    done = web.run_form(
        form,
        lambda: newsletter.send_issue(
            current_user,
            form.subject.data or "",
            form.text.data or "",
            form.articles.data or [],
            form.answers.data or [],
        ),
    )
    if done:
        flash(f"The issue is on its way to {done.value} subscribers.", "success")
        return redirect(url_for("notifications.newsletter_new"))
    return render_template("notifications/newsletter_issue.html", form=form), web.form_status()
