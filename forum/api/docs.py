"""GET /api/openapi.json and its human-readable reference page /api/docs."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template
from markupsafe import Markup, escape

from forum.api import bp
from forum.api.spec import build_document, operation

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


def document(app: Flask) -> dict[str, Any]:
    """The document, built once per app (routes do not change after start-up)."""
    cached: dict[str, Any] | None = app.extensions.get("api_document")
    if cached is None:
        cached = app.extensions["api_document"] = build_document(app)
    return cached


def code_spans(text: str) -> Markup:
    """Escaped text whose `backticked` parts show as code."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))  # noqa: S704


def describe(schema: dict[str, Any]) -> str:
    """A schema in a few words: "Post", "array of string", "integer or null"."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(describe(option) for option in schema["anyOf"])
    kind = schema.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    words = []
    for name in kinds:
        if name == "array":
            words.append(f"array of {describe(schema.get('items', {}))}")
        elif name == "object" and "items" in schema.get("properties", {}):
            words.append(f"list of {describe(schema['properties']['items']['items'])}")
        else:
            words.append(str(name))
    text = " or ".join(words)
    if "enum" in schema:
        text += ": " + ", ".join(str(value) for value in schema["enum"])
    return text


def schema_name(schema: dict[str, Any]) -> str | None:
    """The component a response is, or lists, for a link to it."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    items = schema.get("properties", {}).get("items", {}).get("items")
    return schema_name(items) if isinstance(items, dict) else None


def operations_by_tag(doc: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    grouped: dict[str, list[dict[str, Any]]] = {tag["name"]: [] for tag in doc["tags"]}
    for path, methods in doc["paths"].items():
        for method in METHOD_ORDER:
            if method in methods:
                op = methods[method]
                grouped[op["tags"][0]].append({"path": path, "method": method.upper(), **op})
    return [(tag, grouped[tag["name"]]) for tag in doc["tags"] if grouped[tag["name"]]]


@bp.get("/openapi.json")
@operation(
    summary="This OpenAPI 3.1 document",
    tag="meta",
    response={"type": "object"},
)
def openapi() -> Response:
    return jsonify(document(current_app))


@bp.get("/docs")
def reference() -> str:
    doc = document(current_app)
    return render_template(
        "api/docs.html",
        doc=doc,
        groups=operations_by_tag(doc),
        describe=describe,
        code_spans=code_spans,
        schema_name=schema_name,
        schemas=doc["components"]["schemas"],
    )
