"""My Medicine pages: profiles, medicines, interaction checks and alerts, for the owner only.

Profiles and medicines are addressed by id, never by drug name, so no URL (and no access
log line) holds a medicine; anyone but the owner gets "not found".
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import web
from forum.cabinet import bp, queries, services
from forum.cabinet.forms import AddPillForm, EntryEditForm, EntryForm, NewsForm, ProfileForm
from forum.drugs import queries as drug_queries
from forum.drugs.sources import SOURCES
from forum.errors import InvalidAction, NotFound
from forum.models import CabinetEntry, CabinetProfile
from forum.pills import queries as pill_queries


@bp.after_request
def _private(response: Response) -> Response:
    """Never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/")
@login_required
def index() -> str:
    return render_template(
        "cabinet/index.html",
        profiles=services.profiles_of(current_user),
        form=ProfileForm(formdata=None),
        unread=queries.unread_alert_count(current_user),
    )


@bp.post("/profiles")
@login_required
def create_profile() -> Response | tuple[str, int]:
    form = ProfileForm()
    done = web.run_form(
        form,
        lambda: services.create_profile(current_user, form.label.data or "", form.birth_year.data),
    )
    if done:
        return redirect(url_for("cabinet.show", profile_id=done.value.id))
    return render_template(
        "cabinet/index.html",
        profiles=services.profiles_of(current_user),
        form=form,
        unread=queries.unread_alert_count(current_user),
    ), web.FORM_ERROR


def _show(profile: CabinetProfile, form: EntryForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "cabinet/show.html",
        profile=profile,
        form=form,
        report=queries.check_profile(profile),
        suggestions=getattr(form, "suggestions", []),
        sources=SOURCES,
    ), status


@bp.get("/profiles/<int:profile_id>")
def show(profile_id: int) -> tuple[str, int]:
    profile = services.profile_by_id(current_user, profile_id)
    return _show(profile, EntryForm(formdata=None))


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
def edit_profile(profile_id: int) -> Response | tuple[str, int]:
    profile = services.profile_by_id(current_user, profile_id)
    form = ProfileForm(obj=profile)  # the saved values, until the member sends theirs
    if web.run_form(
        form,
        lambda: services.update_profile(
            current_user, profile, form.label.data or "", form.birth_year.data
        ),
    ):
        return redirect(url_for("cabinet.show", profile_id=profile.id))
    page = render_template("cabinet/edit_profile.html", form=form, profile=profile)
    return page, web.form_status()


@bp.post("/profiles/<int:profile_id>/delete")
def delete_profile(profile_id: int) -> Response:
    profile = services.profile_by_id(current_user, profile_id)
    services.delete_profile(current_user, profile)
    flash("The profile and its medicines were deleted.", "info")
    return redirect(url_for("cabinet.index"))


def _entry_fields(form: EntryForm | EntryEditForm) -> services.EntryFields:
    return services.EntryFields(
        dose=form.dose.data or "",
        schedule=form.schedule.data or "",
        start_date=form.start_date.data,
        notes=form.notes.data or "",
        safety_alerts=bool(form.safety_alerts.data),
    )


@bp.post("/profiles/<int:profile_id>/entries")
def add_entry(profile_id: int) -> Response | tuple[str, int]:
    profile = services.profile_by_id(current_user, profile_id)
    form: Any = EntryForm()

    def add() -> CabinetEntry:
        name = (form.drug.data or "")[: drug_queries.QUERY_MAX]
        drug = drug_queries.drug_by_name(name)
        if drug is None:
            form.suggestions = drug_queries.suggest_names(name)
            raise InvalidAction(
                "We could not find that medicine in the directory. Check the spelling or "
                "choose one of the names below.",
                field="drug",
            )
        return services.add_entry(current_user, profile, drug, _entry_fields(form))

    done = web.run_form(form, add)
    if done:
        flash(f"{done.value.drug.name} was added.", "success")
        return redirect(url_for("cabinet.show", profile_id=profile.id))
    return _show(profile, form, web.FORM_ERROR)


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
def edit_entry(entry_id: int) -> Response | tuple[str, int]:
    entry = services.entry_by_id(current_user, entry_id)
    form = EntryEditForm(obj=entry)
    if web.run_form(form, lambda: services.update_entry(current_user, entry, _entry_fields(form))):
        return redirect(url_for("cabinet.show", profile_id=entry.profile_id))
    return render_template("cabinet/edit_entry.html", form=form, entry=entry), web.form_status()


@bp.post("/entries/<int:entry_id>/alerts")
def entry_alerts(entry_id: int) -> Response:
    """The one-click switch beside each medicine: safety alerts on or off."""
    entry = services.entry_by_id(current_user, entry_id)
    on = request.form.get("on") == "1"
    services.set_safety_alerts(current_user, entry, on)
    state = "on" if on else "off"
    flash(f"Safety alerts for {entry.drug.name} are {state}.", "success")
    return redirect(url_for("cabinet.show", profile_id=entry.profile_id))


@bp.post("/entries/<int:entry_id>/delete")
def delete_entry(entry_id: int) -> Response:
    entry = services.entry_by_id(current_user, entry_id)
    profile_id = entry.profile_id
    services.remove_entry(current_user, entry)
    flash("The medicine was removed from the list.", "info")
    return redirect(url_for("cabinet.show", profile_id=profile_id))


@bp.get("/alerts")
@login_required
def alerts() -> str:
    deliveries = queries.alerts(current_user)
    unread = {d.id for d in deliveries if d.read_at is None}
    if unread:
        services.mark_alerts_read(current_user)
    settings = services.settings_of(current_user)
    return render_template(
        "cabinet/alerts.html",
        deliveries=deliveries,
        unread=unread,
        news=queries.news(current_user),
        form=NewsForm(formdata=None, wants_news=settings.wants_news),
    )


@bp.post("/alerts/settings")
@login_required
def update_settings() -> Response:
    form = NewsForm()
    if not form.validate_on_submit():
        raise InvalidAction("Your form expired. Reload the page and try again.")
    services.set_news_alerts(current_user, bool(form.wants_news.data))
    flash("Your alert settings were saved.", "success")
    return redirect(url_for("cabinet.alerts"))


@bp.post("/check")
@login_required
def check() -> str:
    """ "Check this drug against my medicines": nothing is saved, the drug stays out of URLs."""
    drug = drug_queries.drug_by_slug(request.form.get("drug", "")[: drug_queries.QUERY_MAX].strip())
    return render_template(
        "cabinet/check.html",
        drug=drug,
        checks=queries.check_drug_against_cabinet(current_user, drug),
        sources=SOURCES,
    )


@bp.post("/pills")
@login_required
def add_pill() -> Response | tuple[str, int]:
    """Add a pill from the identifier to a list: the product travels in the form, never in
    the address, so no access log line names the medicine. Sent without a list, it asks which.
    """
    product_id = web.parse_id(request.form.get("product"))
    if product_id is None:
        raise NotFound()
    product = pill_queries.product_by_id(product_id)
    form = AddPillForm()
    form.profile.choices = [(p.id, p.label) for p in services.profiles_of(current_user)]
    chosen = "profile" in request.form
    if not chosen:
        form.safety_alerts.data = True  # the question's first showing: opted in, say otherwise

    def add() -> CabinetEntry:
        alerts = bool(form.safety_alerts.data)
        return services.add_pill(current_user, product, form.profile.data, alerts)

    done = web.run_form(form, add)
    if done:
        flash(f"{product.name} {product.strength} was added to your list.", "success")
        return redirect(url_for("cabinet.show", profile_id=done.value.profile_id))
    if not chosen:
        form.profile.errors = []
    page = render_template(
        "cabinet/add_pill.html",
        form=form,
        product=product,
        matches=pill_queries.product_matches(product),
    )
    return page, web.FORM_ERROR if chosen else 200
