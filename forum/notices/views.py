"""Drug safety notices: the public list, one notice, and publishing (editors)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policies, web
from forum.drugs import queries as drug_queries
from forum.errors import InvalidAction
from forum.models import Drug
from forum.notices import bp, queries, services
from forum.notices.forms import NoticeForm


@bp.get("")
def index() -> str:
    return render_template("notices/index.html", notices=queries.recent_notices())


@bp.get("/<int:notice_id>")
def show(notice_id: int) -> str:
    return render_template("notices/show.html", notice=queries.notice_by_id(notice_id))


def _drugs_named(text: str) -> list[Drug]:
    """The drugs a list of names (one per line) leads to; an unknown name is refused."""
    drugs = []
    for line in text.splitlines():
        name = " ".join(line.split())[: drug_queries.QUERY_MAX]
        if not name:
            continue
        drug = drug_queries.drug_by_name(name)
        if drug is None:
            raise InvalidAction(f"“{name}” is not in the drug directory.", field="drugs")
        drugs.append(drug)
    return drugs


@bp.route("/new", methods=["GET", "POST"])
@web.requires(policies.can_publish_safety_notice)
def new() -> Response | tuple[str, int]:
    form = NoticeForm()
    done = web.run_form(
        form,
        lambda: services.publish_safety_notice(
            current_user,
            form.title.data or "",
            form.body.data or "",
            _drugs_named(form.drugs.data or ""),
            form.source_url.data or "",
        ),
    )
    if done:
        flash("The notice is published; members taking these drugs are told.", "success")
        return redirect(url_for("notices.show", notice_id=done.value.id))
    return render_template("notices/new.html", form=form), web.form_status()
