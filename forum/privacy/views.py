"""Privacy settings: consent, profile fields, data export and account deletion."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from forum import web
from forum.models import utcnow
from forum.privacy import bp, services
from forum.privacy.export import export_account
from forum.privacy.forms import ConsentForm, DeleteAccountForm, ProfileForm


def _page(profile_form: ProfileForm | None = None, consent_form: ConsentForm | None = None) -> str:
    return render_template(
        "privacy/edit.html",
        profile_form=profile_form or ProfileForm(formdata=None, obj=current_user),
        consent_form=consent_form or ConsentForm(formdata=None),
    )


@bp.get("")
@login_required
def edit() -> str:
    return _page()


@bp.post("/consent")
@login_required
def update_consent() -> Response | tuple[str, int]:
    form = ConsentForm()
    if form.validate_on_submit():
        if form.withdraw.data:
            services.withdraw_health_consent(current_user)
            flash("Consent withdrawn: you can read, but not post. Your posts stay.", "info")
            return redirect(url_for("privacy.edit"))
        if form.health_consent.data:
            services.give_health_consent(current_user)
            flash("Thank you: you can now post.", "success")
            return redirect(url_for("privacy.edit"))
        form.health_consent.errors = ["Tick the box to give your consent."]
    return _page(consent_form=form), web.FORM_ERROR


@bp.post("/profile")
@login_required
def update_profile() -> Response | tuple[str, int]:
    form = ProfileForm()
    fields = services.ProfileFields(
        about=form.about.data or "",
        about_visibility=form.about_visibility.data or "",
        conditions=form.conditions.data or "",
        conditions_visibility=form.conditions_visibility.data or "",
        location=form.location.data or "",
        location_visibility=form.location_visibility.data or "",
    )
    if web.run_form(form, lambda: services.update_profile(current_user, fields)):
        flash("Your profile is saved.", "success")
        return redirect(url_for("privacy.edit"))
    return _page(profile_form=form), web.FORM_ERROR


@bp.post("/export")
@login_required
def export() -> Response:
    data = export_account(current_user)
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    filename = f"health-forum-data-{utcnow():%Y-%m-%d}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Health details: no copy in any cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete() -> Response | tuple[str, int]:
    form = DeleteAccountForm()
    if web.run_form(
        form,
        lambda: services.delete_account(
            current_user._get_current_object(),
            form.current_password.data,
            delete_posts=bool(form.delete_posts.data),
        ),
    ):
        logout_user()
        session.clear()
        flash("Your account is deleted. Take care.", "success")
        return redirect(url_for("home.index"))
    return render_template("privacy/delete.html", form=form), web.form_status()
