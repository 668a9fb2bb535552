"""Client helpers shared by the feature test modules: a logged-in client, the login redirect."""

from __future__ import annotations

from flask import Flask
from werkzeug.test import TestResponse

from forum.models import User
from tests.conftest import CsrfClient, visitor


def logged_in(app: Flask, user: User | None) -> CsrfClient:
    """A fresh client, logged in as the user (or a visitor for None)."""
    return visitor(app, user)


def is_login_redirect(response: TestResponse) -> bool:
    return response.status_code == 302 and "/account/login" in (response.location or "")
