"""The OpenAPI 3.1 document, built from the operations declared next to each route."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask

from forum.api import schemas
from forum.api.auth import SAFE_METHODS
from forum.api.inputs import MAX_ID, MAX_PAGE, MAX_PER_PAGE

F = TypeVar("F", bound=Callable[..., Any])
PathParams = dict[str, tuple[dict[str, Any], str]]
JSON = "application/json"
RULE_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
ERROR_TEXT = {
    400: "Bad input: the `fields` object names each wrong field.",
    401: "The token is missing, malformed, revoked or unknown (or the call needs a member).",
    403: "Not allowed: the member may not do this, or the token is read-only.",
    404: "Not found, or not visible to this viewer (private groups answer 404).",
    413: "The body is larger than the site accepts.",
    429: "Too many requests: try again after the time in Retry-After.",
}


@dataclass(frozen=True)
class Param:
    """A query parameter (path parameters come from the route itself)."""

    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    response: dict[str, Any] | None
    status: int = 200
    description: str = ""
    query: tuple[Param, ...] = ()
    path: PathParams = field(default_factory=dict)
    body: dict[str, Any] | None = None
    errors: tuple[int, ...] = ()
    response_text: str = "Success."


def operation(**kwargs: Any) -> Callable[[F], F]:
    """Declare a route's OpenAPI operation; the document is built from these."""
    spec = Operation(**kwargs)

    def decorate(view: F) -> F:
        view.api_operation = spec  # type: ignore[attr-defined]
        return view

    return decorate


def deletion(summary: str, tag: str, done: str, **kwargs: Any) -> Callable[[F], F]:
    """An operation that answers 204 with no body; `done` says what happened."""
    return operation(
        summary=summary, tag=tag, status=204, response=None, response_text=done, **kwargs
    )


def slug_path(description: str) -> PathParams:
    """The {slug} of a community or a topic."""
    return {"slug": ({"type": "string", "pattern": "^[a-z0-9-]{1,60}$"}, description)}


def key_path(name: str, max_length: int, description: str) -> PathParams:
    """A path parameter read with inputs.key(value, max_length)."""
    return {name: ({"type": "string", "minLength": 1, "maxLength": max_length}, description)}


PAGE = Param(
    "page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number."
)
PER_PAGE = Param(
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
    f"Items per page (at most {MAX_PER_PAGE}).",
)
PAGING = (PAGE, PER_PAGE)


def listing(
    summary: str,
    tag: str,
    item: str,
    query: tuple[Param, ...] = PAGING,
    fields: dict[str, dict[str, Any]] | None = None,
    **kwargs: Any,
) -> Callable[[F], F]:
    """A list: the envelope around `item`s (with `fields` too), paged by `query`."""
    response = schemas.list_of(item, **(fields or {}))
    return operation(summary=summary, tag=tag, query=query, response=response, **kwargs)


def _path_parameter(converter: str | None, name: str, op: Operation) -> dict[str, Any]:
    if name in op.path:
        schema, description = op.path[name]
    elif converter == "int":
        schema, description = {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "An id."
    else:
        schema, description = {"type": "string", "minLength": 1, "maxLength": 100}, name
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def _error(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": ERROR_TEXT[status],
        "content": {JSON: {"schema": schemas.ref("Error")}},
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {
                "description": "When to try again (seconds or an HTTP date).",
                "schema": {"type": "string"},
            }
        }
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {"description": "Bearer.", "schema": {"type": "string"}}
        }
    return response


def _operation_object(rule: str, method: str, endpoint: str, op: Operation) -> dict[str, Any]:
    arguments = RULE_ARGUMENT.findall(rule)
    parameters = [_path_parameter(conv or None, name, op) for conv, name in arguments]
    parameters += [
        {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "description": param.description,
            "schema": param.schema,
        }
        for param in op.query
    ]
    success: dict[str, Any] = {"description": op.response_text}
    if op.response is not None:
        success["content"] = {JSON: {"schema": op.response}}
    # What the API's authentication treats as a write needs a token with the write scope.
    writes = method not in SAFE_METHODS
    errors = {400, 401, 429, *op.errors}
    if arguments:
        errors.add(404)
    if writes:
        errors.update({403, 413})
    responses = {str(op.status): success}
    responses.update({str(status): _error(status) for status in sorted(errors)})
    result: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api."),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
        "security": [{"bearerToken": []}] if writes else [{}, {"bearerToken": []}],
    }
    if op.description:
        result["description"] = op.description
    if op.body is not None:
        result["requestBody"] = {"required": True, "content": {JSON: {"schema": op.body}}}
    return result


def documented_routes(app: Flask) -> list[tuple[str, str, str, Operation | None]]:
    """(rule, method, endpoint, operation) for every API route, documented or not."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method, rule.endpoint, getattr(view, "api_operation", None)))
    return sorted(found)


def build_document(app: Flask) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule, method, endpoint, op in documented_routes(app):
        if op is None:
            continue
        path = RULE_ARGUMENT.sub(lambda m: "{" + m.group(2) + "}", rule)
        paths.setdefault(path, {})[method.lower()] = _operation_object(rule, method, endpoint, op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{app.config['SITE_NAME']} API",
            "version": "1.0.0",
            "description": schemas.INTRODUCTION,
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": name, "description": text} for name, text in schemas.TAGS],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas.COMPONENTS,
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from your account settings.",
                }
            },
        },
    }
