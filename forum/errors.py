"""Domain exceptions and the app-wide error handlers."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from forum.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refused user action; the message is safe to show."""

    status = 400
    code = "invalid"
    default_message = "That cannot be done."

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message or self.default_message
        self.field = field


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"
    default_message = "You are not allowed to do that."

    def __init__(self, message: str = "", hide: bool = False) -> None:
        super().__init__(message)
        self.hide = hide
        if hide:
            self.status = 404
            self.code = "not_found"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = "We could not find that page."


class InvalidAction(DomainError):
    """The input or the current state does not allow the action (a 400)."""


TITLES = {
    400: "That request did not look right",
    403: "You are not allowed to do that",
    404: "Page not found",
    405: "That method is not allowed here",
    413: "That was too large",
    429: "Too many tries",
    500: "Something went wrong on our side",
    503: "The forum is busy for a moment",
}
# How long a client should wait when the database cannot be reached (it restarts, fails over).
RETRY_AFTER_SECONDS = 5


def wants_json() -> bool:
    """JSON for the API and for clients that prefer it over HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_json(code: str, message: str, fields: dict[str, str] | None = None) -> Response:
    """The JSON error body: {"error": {"code", "message", "fields"}}."""
    return jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})


def error_response(status: int, code: str, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return error_json(code, message), status
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError) -> tuple[Response | str, int]:
        db.session.rollback()
        message = "We could not find that page." if error.status == 404 else error.message
        return error_response(error.status, error.code, message)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        return error_response(
            400,
            "csrf",
            "Your form expired or came from another site. Go back, reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> tuple[Response | str, int] | HTTPException:
        status = error.code or 500
        if status < 400:
            return error
        message = {
            413: "The request was larger than this site accepts.",
            429: "You have tried that too often. Please wait a few minutes and try again.",
            404: "We could not find that page.",
        }.get(status, error.description or TITLES.get(status, "Error"))
        response, status = error_response(status, error.name.lower().replace(" ", "_"), message)
        if status == 405 and isinstance(error, HTTPException):
            allowed = error.get_headers()
            return _with_headers(response, status, allowed)
        if status == 429:
            return _with_headers(response, status, error.get_headers())
        return response, status

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def handle_database_unavailable(error: SQLAlchemyError) -> Response:
        """The database is restarting or out of reach: 503 and Retry-After, not a 500.

        The connection pool pings before each use (pool_pre_ping), so the first request
        after the database is back gets a fresh connection by itself.
        """
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.close()
        log.warning(
            "database unavailable on %s %s: %s", request.method, request.url_rule,
            type(getattr(error, "orig", None) or error).__name__,
        )  # fmt: skip
        message = "The forum cannot reach its database right now. Please try again in a moment."
        try:
            body, status = error_response(503, "unavailable", message)
        except SQLAlchemyError:  # the page itself needed the database (the signed-in member)
            db.session.close()
            body, status = message, 503
        response = body if isinstance(body, Response) else Response(body, mimetype="text/html")
        response.status_code = status
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.url_rule)
        return error_response(500, "server_error", "Please try again in a moment.")


def _with_headers(
    body: Response | str, status: int, headers: list[tuple[str, str]]
) -> tuple[Response | str, int]:
    response = body if isinstance(body, Response) else Response(body, mimetype="text/html")
    response.status_code = status
    for name, value in headers:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def attach_to_form(form: Any, error: DomainError) -> None:
    """Show a service's refusal next to the field it concerns (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class NeedsConfirmation(InvalidAction):
    """The post looks like it holds personal information: the author confirms or edits."""

    def __init__(self, findings: list[str]) -> None:
        listed = ", ".join(findings)
        super().__init__(
            f"Your post seems to contain {listed}. Others will be able to read it: remove it, "
            "or tick the box to confirm you want to share it.",
            field="body",
        )
        self.findings = findings
