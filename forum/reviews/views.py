"""Writing, editing and reporting drug reviews, and the moderators' review queue."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policies, web
from forum.drugs import queries as drug_queries
from forum.drugs.forms import ReasonForm
from forum.models import Drug, DrugReview
from forum.reviews import bp, queries, services
from forum.reviews.forms import ReportReviewForm, ReviewForm


def _fields(form: ReviewForm) -> services.ReviewFields:
    return services.ReviewFields(
        condition=form.condition.data or "",
        effectiveness=form.effectiveness.data,
        ease_of_use=form.ease_of_use.data,
        satisfaction=form.satisfaction.data,
        side_effects=form.side_effects.data or "",
        comment=form.comment.data or "",
    )


def _review_page(drug: Drug, review: DrugReview | None = None) -> str:
    return url_for("drugs.show", slug=drug.slug) + (f"#review-{review.id}" if review else "")


def _render_form(form: ReviewForm, drug: Drug, review: DrugReview | None) -> tuple[str, int]:
    status = web.form_status()
    conditions = [c for c, _rows in drug_queries.drug_page(drug).conditions]
    return render_template(
        "reviews/form.html", form=form, drug=drug, review=review, conditions=conditions
    ), status


@bp.route("/<slug>/reviews/new", methods=["GET", "POST"])
@login_required
@web.posting_limits
def new(slug: str) -> Response | tuple[str, int]:
    drug = drug_queries.drug_by_slug(slug)
    policies.require(
        policies.can_review_drug(current_user),
        message="Agree to share health information (in your settings) to write reviews.",
    )
    form = ReviewForm()
    if request.method == "GET" and request.args.get("condition"):
        form.condition.data = request.args["condition"][:120]
    done = web.run_form(form, lambda: services.write_review(current_user, drug, _fields(form)))
    if done:
        flash("Thank you: your review is published.", "success")
        return redirect(_review_page(drug, done.value))
    return _render_form(form, drug, None)


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
def edit(review_id: int) -> Response | tuple[str, int]:
    review = queries.review_by_id(review_id)
    policies.require(policies.can_view_review(current_user, review), hide=True)
    policies.require(policies.can_edit_review(current_user, review))
    form = ReviewForm(obj=None)
    if request.method == "GET":
        form.condition.data, form.side_effects.data = review.condition, review.side_effects
        form.effectiveness.data, form.ease_of_use.data = review.effectiveness, review.ease_of_use
        form.satisfaction.data, form.comment.data = review.satisfaction, review.comment_source
    if web.run_form(form, lambda: services.update_review(current_user, review, _fields(form))):
        flash("Your review was updated.", "success")
        return redirect(_review_page(review.drug, review))
    return _render_form(form, review.drug, review)


@bp.post("/reviews/<int:review_id>/delete")
@login_required
def delete(review_id: int) -> Response:
    review = queries.review_by_id(review_id)
    drug = review.drug
    services.delete_review(current_user, review)
    flash("Your review was deleted.", "info")
    return redirect(_review_page(drug))


@bp.route("/reviews/<int:review_id>/report", methods=["GET", "POST"])
@login_required
@web.limits("REPORT_RATE_LIMIT")
def report(review_id: int) -> Response | tuple[str, int]:
    review = queries.review_by_id(review_id)
    policies.require(policies.can_view_review(current_user, review), hide=True)
    form = ReportReviewForm()
    note = form.note.data or ""
    if web.run_form(
        form, lambda: services.report_review(current_user, review, form.reason.data, note)
    ):
        flash("Thank you. The moderators will look at it.", "success")
        return redirect(_review_page(review.drug, review))
    return render_template("reviews/report.html", form=form, review=review), web.form_status()


@bp.post("/reviews/<int:review_id>/<any(hide, unhide, dismiss):action>")
@login_required
def moderate(review_id: int, action: str) -> Response:
    review = queries.review_by_id(review_id)
    reason = ReasonForm().reason.data or ""
    if action == "hide":
        services.hide_review(current_user, review, reason)
    elif action == "unhide":
        services.unhide_review(current_user, review, reason)
    else:
        services.dismiss_review_reports(current_user, review, reason)
    flash(f"Done: {action}.", "success")
    return web.redirect_back(_review_page(review.drug, review))


@bp.get("/reviews/reports")
@web.requires(policies.can_moderate_reviews)
def reports() -> str:
    return render_template(
        "reviews/reports.html",
        items=queries.report_queue(),
        reason_form=ReasonForm(formdata=None),
    )
