"""Expert directory and profiles, applications and their review, endorsements."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policies, web
from forum.auth.services import find_user_by_name
from forum.errors import InvalidAction, NotFound
from forum.experts import bp, queries, services
from forum.experts.forms import ApplicationForm, EndorseForm, ReasonForm, VerifyForm
from forum.extensions import db
from forum.models import ExpertProfile


def _topic_choices() -> list[tuple[int, str]]:
    return [(topic.id, topic.name) for topic in web.topics_by_name()]


@bp.get("")
def index() -> str:
    experts = queries.directory(web.page_arg(), current_app.config["PER_PAGE"])
    return render_template("experts/index.html", experts=experts)


@bp.get("/queue")
@web.requires(policies.is_verified_expert, "The question queue is for verified experts.")
def queue() -> str:
    """Questions waiting for an expert in the viewer's verified topics."""
    questions = queries.waiting_questions(
        current_user, web.page_arg(), current_app.config["PER_PAGE"]
    )
    return render_template("experts/queue.html", questions=questions)


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply() -> Response | tuple[str, int]:
    profile = policies.expert_profile_of(current_user)
    form = ApplicationForm()
    form.topics.choices = _topic_choices()
    if not policies.can_apply_as_expert(current_user):
        return render_template("experts/application.html", profile=profile, form=None), 200
    done = web.run_form(
        form,
        lambda: services.apply_as_expert(
            current_user,
            credentials=form.credentials.data,
            profession=form.profession.data,
            specialty=form.specialty.data,
            topic_ids=form.topics.data or [],
            licence_number=form.licence_number.data,
            licence_issuer=form.licence_issuer.data,
        ),
    )
    if done:
        flash("Thank you. An editor will check your credentials.", "success")
        return redirect(url_for("experts.apply"))
    page = render_template("experts/application.html", profile=profile, form=form)
    return page, web.form_status()


@bp.get("/applications")
@web.requires(policies.can_review_experts)
def applications() -> str:
    return render_template(
        "experts/applications.html",
        pending=queries.pending_applications(),
        verified=queries.directory(web.page_arg(), 50),
    )


def _reviewed_profile(profile_id: int) -> ExpertProfile:
    policies.require(policies.can_review_experts(current_user))
    profile = db.session.get(ExpertProfile, profile_id)
    if profile is None:
        raise NotFound()
    return profile


@bp.get("/applications/<int:profile_id>")
@login_required
def review(profile_id: int) -> str:
    profile = _reviewed_profile(profile_id)
    verify_form = VerifyForm(
        formdata=None,
        credentials=profile.credentials,
        specialty=profile.specialty,
        topics=[topic.id for topic in profile.topics],
    )
    verify_form.topics.choices = _topic_choices()
    return render_template(
        "experts/review.html", profile=profile, verify_form=verify_form, reason_form=ReasonForm()
    )


@bp.post("/applications/<int:profile_id>/verify")
@login_required
def verify(profile_id: int) -> Response:
    profile = _reviewed_profile(profile_id)
    form = VerifyForm()
    form.topics.choices = _topic_choices()
    if not form.validate_on_submit():
        raise InvalidAction("Check the credentials, scope and months.")
    services.verify_expert(
        current_user,
        profile,
        topic_ids=form.topics.data or [],
        months=form.months.data,
        reason=form.reason.data or "",
        credentials=form.credentials.data,
        specialty=form.specialty.data or "",
    )
    flash(f"{profile.display_name} is verified.", "success")
    return redirect(url_for("experts.applications"))


@bp.post("/applications/<int:profile_id>/<any(reject, revoke):decision>")
@login_required
def decide(profile_id: int, decision: str) -> Response:
    profile = _reviewed_profile(profile_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        raise InvalidAction("Give a reason: the applicant sees it.")
    if decision == "reject":
        services.reject_expert(current_user, profile, form.reason.data)
    else:
        services.revoke_expert(current_user, profile, form.reason.data)
    flash(f"Decision recorded for {profile.display_name}.", "success")
    return redirect(url_for("experts.applications"))


@bp.get("/<name>")
def show(name: str) -> str:
    user = find_user_by_name(name[:30])
    profile = policies.expert_profile_of(user) if user else None
    if user is None or profile is None or not policies.is_active_expert_profile(profile):
        raise NotFound()
    endorsed = queries.endorsed_posts(current_user, user, web.page_arg(), 20)
    return render_template("experts/show.html", profile=profile, endorsed=endorsed)


@bp.post("/posts/<int:post_id>/endorsements")
@login_required
def endorse(post_id: int) -> Response:
    post = services.post_to_endorse(current_user, post_id)
    form = EndorseForm()
    if not form.validate_on_submit():
        raise InvalidAction("Choose the level of evidence and keep the note under 280 characters.")
    services.endorse_post(current_user, post, form.note.data or "", form.evidence_level.data)
    flash("Your endorsement is shown on the reply.", "success")
    return redirect(url_for("threads.show", thread_id=post.thread_id) + f"#post-{post.id}")


@bp.post("/posts/<int:post_id>/endorsements/delete")
@login_required
def withdraw(post_id: int) -> Response:
    post = services.post_to_endorse(current_user, post_id)
    services.withdraw_endorsement(current_user, post)
    flash("Your endorsement was withdrawn.", "info")
    return redirect(url_for("threads.show", thread_id=post.thread_id) + f"#post-{post.id}")
