"""The API's answers: a created resource, no content, and one page of a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from forum.api import inputs, serialize
from forum.extensions import db

Show = Callable[[Any], dict[str, Any]]


def created(body: dict[str, Any]) -> tuple[Response, int]:
    return jsonify(body), 201


def no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def page(found: Pagination, show: Show, **extra: Any) -> Response:
    """The list envelope around one page, each row as `show` writes it."""
    return jsonify(serialize.page_envelope(found, [show(row) for row in found.items], **extra))


def page_of(query: Select[Any], show: Show) -> Response:
    """The page of `query` that ?page= and ?per_page= ask for."""
    number, per_page = inputs.page_args()
    return page(db.paginate(query, page=number, per_page=per_page, error_out=False), show)
