"""The pill identifier: search by appearance, a product's page, "add to My Medicine"."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from forum import policies, web
from forum.cabinet import services as cabinet
from forum.errors import NotFound
from forum.extensions import limiter
from forum.models import PillProduct
from forum.pills import bp, queries, services
from forum.pills.forms import AddToCabinetForm, PillSearchForm


def _search(form: PillSearchForm) -> queries.PillSearch:
    colors = (form.color.data or "", form.second_color.data or "")
    return queries.PillSearch(
        imprint=form.imprint.data or "",
        colors=tuple(dict.fromkeys(c for c in colors if c)),
        shape=form.shape.data or "",
        size=form.size.data,
        score=int(form.score.data) if form.score.data else None,
    )


def _cabinet_form(sent: bool = False) -> AddToCabinetForm | None:
    """The "add to My Medicine" form for a member (visitors get none: no session for them)."""
    if not policies.can_use_cabinet(current_user):
        return None
    form = AddToCabinetForm() if sent else AddToCabinetForm(formdata=None)
    form.profile.choices = [
        SelectChoice(str(p.id), p.label) for p in cabinet.profiles_of(current_user)
    ]
    return form


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
        cabinet_form=_cabinet_form(),
    ), (web.FORM_ERROR if form.errors else 200)


def _show(
    product: PillProduct, form: AddToCabinetForm | None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "pills/show.html",
        product=product,
        matches=queries.product_matches(product),
        cabinet_form=form,
    ), status


@bp.get("/<int:product_id>")
def show(product_id: int) -> tuple[str, int]:
    product = queries.product_by_id(product_id)
    return _show(product, _cabinet_form())


def _posted_product() -> PillProduct:
    raw = request.form.get("product", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise NotFound()
    return queries.product_by_id(int(raw))


@bp.post("/my-medicine")
@login_required
def create() -> Response | tuple[str, int]:
    """Add a product to one of the member's medicine lists (a new cabinet entry).

    The product travels in the form, never in the address: no access log line names it.
    """
    product = _posted_product()
    form = _cabinet_form(sent=True)
    assert form is not None
    done = web.run_form(
        form, lambda: services.add_to_cabinet(current_user, product, int(form.profile.data))
    )
    if done:
        flash(f"{product.name} {product.strength} was added to your list.", "success")
        return redirect(url_for("cabinet.show", profile_id=done.value.profile_id))
    return _show(product, form, web.FORM_ERROR)
