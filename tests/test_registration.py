"""Registration lists every problem at once: each next to its field and in a summary on top."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from forum.auth.services import registration_problems
from forum.extensions import db
from forum.models import User
from tests.conftest import CsrfClient
from tests.factories import make_user


def register(client: CsrfClient, **fields: str) -> tuple[int, str]:
    data = {
        "name": "new_member",
        "email": "new@example.org",
        "password": "a very good passphrase",
        "confirm": "a very good passphrase",
        **fields,
    }
    response = client.post("/account/register", data=data)
    return response.status_code, response.get_data(as_text=True)


def summary(page: str) -> list[str]:
    found = re.search(
        r'<div class="form-errors error-summary" role="alert">(.*?)</div>', page, re.S
    )
    assert found, "no error summary"
    return re.findall(r'<li><a href="#([a-z_]+)">', found.group(1))


def test_a_taken_name_a_common_password_and_a_mismatch_are_all_listed(
    client: CsrfClient,
) -> None:
    make_user(name="Sunny", email="sunny@example.org")
    status, page = register(
        client, name="SUNNY", email="Sunny@Example.org", password="1234567890", confirm="123"
    )
    assert status == 422
    assert summary(page) == ["name", "email", "password", "confirm"]
    assert "Please fix these 4 problems:" in page
    assert "That name is taken" in page
    assert "An account with that e-mail already exists." in page
    assert "This password is too common" in page
    assert "The passwords do not match." in page
    assert 'id="name-error"' in page and 'id="password-error"' in page
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_form_rules_and_account_rules_show_together(client: CsrfClient) -> None:
    status, page = register(client, name="ab", email="not-an-address", password="short")
    assert status == 422
    assert summary(page)[:3] == ["name", "email", "password"]
    assert page.count("3 to 30") >= 1 and "at least 10" in page.lower()


def test_one_problem_is_named_as_one(client: CsrfClient) -> None:
    status, page = register(client, name="Admin")
    assert status == 422
    assert summary(page) == ["name"] and "Please fix this problem:" in page


def test_a_good_registration_still_goes_through(client: CsrfClient) -> None:
    status, _ = register(client)
    assert status == 302
    assert db.session.scalar(select(User.name).where(User.name_key == "new_member"))


def test_the_service_reports_every_problem_by_field(client: CsrfClient) -> None:
    make_user(name="Walker", email="walker@example.org")
    assert registration_problems("walker", "WALKER@example.org", "password123") == {
        "name": "That name is taken. Please choose another.",
        "email": "An account with that e-mail already exists.",
        "password": "This password is too common. Choose one that is harder to guess.",
    }
    assert registration_problems("fresh_name", "fresh@example.org", "a fine long phrase") == {}
