"""The drug directory: find by name or condition, A-Z, drug pages and interaction checks."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import web
from forum.drug_names import normalize
from forum.drugs import bp, queries
from forum.drugs.community import community_threads
from forum.drugs.forms import CheckForm, ReasonForm
from forum.drugs.interactions import Medicine, check_interactions
from forum.drugs.sources import INFORMATIONAL_ONLY, SOURCES
from forum.extensions import limiter
from forum.pills import queries as pill_queries

BROWSE_PER_PAGE = 60
REVIEWS_PER_PAGE = 10
CHECK_MAX = 20


def _arg(name: str) -> str:
    return request.values.get(name, "")[: queries.QUERY_MAX].strip()


@bp.get("/")
@limiter.limit(lambda: current_app.config["DRUG_SEARCH_RATE_LIMIT"])
def index() -> Response | str:
    q, condition = _arg("q"), _arg("condition")
    letter = request.args.get("letter", "").lower()
    everything = request.args.get("all") == "1"
    if q and request.args.get("list") != "1":
        drug = queries.drug_by_name(q)
        if drug is not None:
            return redirect(url_for("drugs.show", slug=drug.slug))
    return render_template(
        "drugs/index.html",
        q=q,
        condition=condition,
        letter=letter if queries.letter_is_valid(letter) else "",
        everything=everything,
        letters=queries.LETTERS,
        matches=queries.search_names(q) if q else None,
        groups=queries.drugs_for_condition(condition) if condition else None,
        browse=(
            queries.browse(letter, web.page_arg(), BROWSE_PER_PAGE, everything)
            if queries.letter_is_valid(letter)
            else None
        ),
    )


@bp.route("/autocomplete", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["DRUG_AUTOCOMPLETE_RATE_LIMIT"])
def autocomplete() -> Response:
    """Names starting with what was typed; POST keeps what is typed out of access logs."""
    results = [
        {
            "name": match.name,
            "drug": match.drug_name,
            "kind": match.kind.value,
            "url": url_for("drugs.show", slug=match.slug),
        }
        for match in queries.autocomplete(_arg("q"))
    ]
    return jsonify({"results": results})


@bp.get("/<slug>")
def show(slug: str) -> str:
    drug = queries.drug_by_slug(slug)
    condition_key = normalize(request.args.get("condition", "")[:120])
    return render_template(
        "drugs/show.html",
        page=queries.drug_page(drug),
        drug=drug,
        sources=SOURCES,
        informational=INFORMATIONAL_ONLY,
        stats=queries.review_stats(drug.id),
        reviews=queries.reviews_page(
            current_user, drug.id, condition_key, web.page_arg(), REVIEWS_PER_PAGE
        ),
        own_reviews=queries.own_reviews(current_user, drug.id),
        condition_key=condition_key,
        threads=community_threads(current_user, drug),
        reason_form=ReasonForm(formdata=None),
        pills=pill_queries.pills_for_drug(drug),
    )


@bp.route("/interactions", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["DRUG_SEARCH_RATE_LIMIT"], methods=["POST"])
def interactions() -> tuple[str, int]:
    """Check a list of medicines typed by anyone; unknown names are reported as unchecked."""
    form = CheckForm()
    report = None
    # A link from search ("Check ibuprofen with lisinopril") names them: check at once.
    linked = request.method == "GET" and bool(request.args.get("names"))
    if linked:
        form.names.data = request.args["names"][: CHECK_MAX * (queries.QUERY_MAX + 1)]
    if linked or form.validate_on_submit():
        names = [" ".join(line.split()) for line in (form.names.data or "").splitlines()]
        names = list(dict.fromkeys(n[: queries.QUERY_MAX] for n in names if n))[:CHECK_MAX]
        if len(names) < 2:
            form.names.errors = [*form.names.errors, "Name at least two medicines."]
        else:
            medicines = [Medicine(name, queries.drug_by_name(name)) for name in names]
            report = check_interactions(medicines)
    status = web.FORM_ERROR if request.method == "POST" and report is None else 200
    return render_template(
        "drugs/interactions.html", form=form, report=report, sources=SOURCES
    ), status
