"""The thin view layer: one rule for form errors, local redirects only, paging."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from wtforms import StringField

from forum import web
from forum.errors import InvalidAction, NotAllowed, NotFound


class NameForm(FlaskForm):
    name = StringField()


def sent_form(app: Flask) -> NameForm:
    form = NameForm(meta={"csrf": False})
    form.name.data = "x"
    return form


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/threads/5", "/threads/5"),
        ("/search?q=a#b", "/search?q=a#b"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/threads/5\r\nSet-Cookie: a=b", "/"),
        ("/threads/5\n", "/"),
        ("/a\x00b", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_only_a_local_path_without_control_characters_is_a_redirect_target(
    app: Flask, target: str | None, expected: str
) -> None:
    with app.test_request_context("/"):
        assert web.safe_next(target) == expected


def test_a_service_refusal_the_user_can_fix_shows_on_the_form(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = NameForm(meta={"csrf": False})

        def refuse() -> None:
            raise InvalidAction("Choose another name.", field="name")

        assert web.run_form(form, refuse) is None
        assert form.name.errors == ["Choose another name."]
        assert web.form_status() == web.FORM_ERROR


@pytest.mark.parametrize("error", [NotAllowed(), NotAllowed(hide=True), NotFound()])
def test_other_refusals_go_to_the_error_pages(app: Flask, error: Exception) -> None:
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = NameForm(meta={"csrf": False})

        def refuse() -> None:
            raise error

        with pytest.raises(type(error)):
            web.run_form(form, refuse)


def test_a_form_that_went_through_carries_the_service_result(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        done = web.run_form(NameForm(meta={"csrf": False}), lambda: 42)
        assert done is not None and done.value == 42
    with app.test_request_context("/"):
        assert web.run_form(NameForm(meta={"csrf": False}), lambda: 42) is None
        assert web.form_status() == 200


@pytest.mark.parametrize(
    ("raw", "page"), [("3", 3), ("0", 1), ("-2", 1), ("x", 1), ("9" * 30, 1), ("", 1)]
)
def test_an_odd_page_number_is_page_one(app: Flask, raw: str, page: int) -> None:
    with app.test_request_context(f"/?page={raw}"):
        assert web.page_arg() == page
