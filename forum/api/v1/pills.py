"""The pill identifier: pills by imprint, colors, shape, size and score."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.auth import route_limit
from forum.api.spec import PAGING, Param, listing
from forum.models import Drug
from forum.pills import queries, vocabulary
from forum.pills.forms import IMPRINT_MAX, SIZE_MAX

CAUTION = "Identification by appearance is not certain: ask a pharmacist."
MAX_COLORS = 2
PILL_QUERY = (
    Param(
        "imprint",
        {"type": "string", "maxLength": IMPRINT_MAX},
        "Letters and numbers on the pill, or a part of them; case, spaces and separators do "
        "not matter, and 0/O and 1/I/l count as one.",
    ),
    Param(
        "color",
        {
            "type": "array",
            "items": {"type": "string", "enum": vocabulary.color_keys()},
            "maxItems": MAX_COLORS,
        },
        "One color, or two for a two-tone pill (repeat the parameter).",
    ),
    Param("shape", {"type": "string", "enum": vocabulary.shape_keys()}, "The shape."),
    Param(
        "size",
        {"type": "integer", "minimum": 1, "maximum": SIZE_MAX},
        "The longest side in mm; pills 1 mm either side are found too.",
    ),
    Param(
        "score",
        {"type": "integer", "minimum": 1, "maximum": 9},
        "How many pieces the score lines break it into (1: not scored).",
    ),
    *PAGING,
)


def _search() -> queries.PillSearch:
    colors = [inputs.clean_text(c) for c in request.args.getlist("color") if c]
    if len(colors) > MAX_COLORS or any(c not in vocabulary.color_keys() for c in colors):
        raise inputs.BadInput({"color": "Use one or two of: " + ", ".join(vocabulary.color_keys())})
    size = inputs.int_arg("size", 0, 1, SIZE_MAX)
    score = inputs.int_arg("score", 0, 1, 9)
    return queries.PillSearch(
        imprint=inputs.text_arg("imprint", IMPRINT_MAX),
        colors=tuple(dict.fromkeys(colors)),
        shape=inputs.choice_arg("shape", vocabulary.shape_keys(), ""),
        size=size or None,
        score=score or None,
    )


def _drug(drug: Drug | None) -> dict[str, Any] | None:
    if drug is None:
        return None
    return {"name": drug.name, "url": url_for("drugs.show", slug=drug.slug, _external=True)}


def _pill(match: queries.PillMatch) -> dict[str, Any]:
    pill, product = match.pill, match.product
    return {
        "id": product.id,
        "url": url_for("pills.show", product_id=product.id, _external=True),
        "name": product.name,
        "strength": product.strength,
        "imprint": " ".join(pill.imprint_parts),
        "colors": pill.colors,
        "shape": pill.shape,
        "size_mm": pill.size_mm,
        "score": pill.score,
        "description": match.description,
        "manufacturer": product.labeler,
        "ndc": None if product.ndc.startswith("#") else product.ndc,
        "ingredients": [
            {"name": i.display_name, "strength": i.strength, "drug": _drug(drug)}
            for i, drug in match.ingredient_drugs
        ],
        "drug": _drug(match.drug),
        "label": {
            "set_id": product.set_id,
            "version": product.version,
            "date": product.label_date.isoformat() if product.label_date else None,
        },
    }


@bp.get("/v1/pills")
@route_limit("SEARCH_RATE_LIMIT")
@listing(
    "Identify a pill by its imprint, colors, shape, size and score",
    "pills",
    "Pill",
    PILL_QUERY,
    fields={"caution": s.STR},
    description="Pills from U.S. drug labels (FDA SPL) that fit everything given; nothing "
    "given, or nothing fits, is an empty list (never the closest pill). `caution`: "
    "identification by appearance is not certain.",
)
def pills_index() -> Response:
    search = _search()
    page, per_page = inputs.page_args()
    results = queries.search_pills(search, page, per_page)
    known = {param.name for param in PILL_QUERY}
    args = {k: v for k, v in request.args.lists() if k in known}
    return jsonify(
        {
            "items": [_pill(match) for match in results.matches],
            **serialize.paging(page, per_page, results.total, args, last_page=inputs.MAX_PAGE),
            "caution": CAUTION,
        }
    )
