"""Drug safety notices: the public list, one notice, and publishing (editors)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policies, web
from forum.drugs import bp, queries
from forum.drugs.forms import NoticeForm
from forum.drugs.services import notices as services
from forum.errors import InvalidAction
from forum.models import Drug


@bp.get("/notices")
def notices() -> str:
    return render_template("drugs/notices.html", notices=services.recent_notices())


@bp.get("/notices/<int:notice_id>")
def notice(notice_id: int) -> str:
    return render_template("drugs/notice.html", notice=services.notice_by_id(notice_id))


def _drugs_named(text: str) -> list[Drug]:
    """The drugs a list of names (one per line) leads to; an unknown name is refused."""
    drugs = []
    for line in text.splitlines():
        name = " ".join(line.split())[: queries.QUERY_MAX]
        if not name:
            continue
        drug = queries.drug_by_name(name)
        if drug is None:
            raise InvalidAction(f"“{name}” is not in the drug directory.", field="drugs")
        drugs.append(drug)
    return drugs


@bp.route("/notices/new", methods=["GET", "POST"])
@login_required
def new_notice() -> Response | tuple[str, int]:
    policies.require(policies.can_publish_safety_notice(current_user))
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
        return redirect(url_for("drugs.notice", notice_id=done.value.id))
    return render_template("drugs/notice_form.html", form=form), web.form_status()
