"""The pill identifier: search by appearance, a product's page, "add to My Medicine"."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from forum import policies, web
from forum.extensions import limiter
from forum.pills import bp, queries
from forum.pills.forms import PillSearchForm


def _search(form: PillSearchForm) -> queries.PillSearch:
    colors = (form.color.data or "", form.second_color.data or "")
    return queries.PillSearch(
        imprint=form.imprint.data or "",
        colors=tuple(dict.fromkeys(c for c in colors if c)),
        shape=form.shape.data or "",
        size=form.size.data,
        score=int(form.score.data) if form.score.data else None,
    )


@bp.get("")
@limiter.limit(lambda: current_app.config["DRUG_SEARCH_RATE_LIMIT"])
def index() -> tuple[str, int]:
    form = PillSearchForm(request.args)
    sent = any(request.args.get(name) for name in form.data)
    search = _search(form) if sent and form.validate() else None
    page = web.page_arg()
    results = queries.search_pills(search, page) if search is not None else None
    return render_template(
        "pills/index.html",
        form=form,
        search=search,
        results=results,
        page=page,
        per_page=queries.RESULTS,
        # The search, for the next page's link (only the form's own fields).
        search_args={name: value for name in form.data if (value := request.args.get(name))},
        # What the identifier holds, said where nothing was found (a count over every pill).
        known=queries.identifier_size() if results is None or not results.total else None,
        may_add=policies.can_use_cabinet(current_user),
    ), (web.FORM_ERROR if form.errors else 200)


@bp.get("/<int:product_id>")
def show(product_id: int) -> tuple[str, int]:
    product = queries.product_by_id(product_id)
    return render_template(
        "pills/show.html",
        product=product,
        matches=queries.product_matches(product),
        may_add=policies.can_use_cabinet(current_user),
    ), 200
