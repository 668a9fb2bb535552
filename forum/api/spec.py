"""The OpenAPI 3.1 document, built from the operations declared next to each route."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask

from forum.api import schemas

F = TypeVar("F", bound=Callable[..., Any])
JSON = "application/json"
MAX_ID = 2**31 - 1
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
    path: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    writes: bool = False
    errors: tuple[int, ...] = ()
    response_text: str = "Success."


def operation(**kwargs: Any) -> Callable[[F], F]:
    """Declare a route's OpenAPI operation; the document is built from these."""
    spec = Operation(**kwargs)

    def decorate(view: F) -> F:
        view.api_operation = spec  # type: ignore[attr-defined]
        return view

    return decorate


PAGE = Param(
    "page", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}, "Page number."
)
PER_PAGE = Param(
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    "Items per page (at most 100).",
)
PAGING = (PAGE, PER_PAGE)


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
    errors = {400, 401, 429, *op.errors}
    if arguments:
        errors.add(404)
    if op.writes:
        errors.update({403, 413})
    responses = {str(op.status): success}
    responses.update({str(status): _error(status) for status in sorted(errors)})
    result: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api."),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
        "security": [{"bearerToken": []}] if op.writes else [{}, {"bearerToken": []}],
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
