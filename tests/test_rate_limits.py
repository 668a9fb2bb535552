"""Login, registration and reset are rate limited per address; wrong passwords per account
and address, so an attacker elsewhere never locks the owner out."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from forum.mail import outbox
from tests.conftest import CsrfClient, make_app, service_url
from tests.factories import PASSWORD, make_user

LIMITED = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT": "5 per minute",
    "LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT": "3 per minute",
    "LOGIN_ACCOUNT_RATE_LIMIT": "6 per minute",
    "REGISTER_RATE_LIMIT": "2 per hour",
}


def fail_login(client: CsrfClient, name: str, address: str = "10.0.0.1") -> int:
    response = client.post(
        "/account/login",
        data={"login": name, "password": "wrong password"},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def log_in_from(client: CsrfClient, name: str, address: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/account/login",
        data={"login": name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.mark.config(**LIMITED)
def test_repeated_wrong_logins_for_one_account_from_one_address_get_a_friendly_429(
    client: CsrfClient,
) -> None:
    user = make_user()
    statuses = [fail_login(client, user.name, address="10.0.0.1") for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    response = log_in_from(client, user.name, "10.0.0.1")
    assert response.status_code == 429
    assert "tried that too often" in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 60


@pytest.mark.config(**LIMITED)
def test_an_attackers_wrong_passwords_from_one_address_do_not_stop_the_owner_from_another(
    app: Flask,
) -> None:
    owner = make_user(name="owner")
    attacker, browser = app.test_client(), app.test_client()
    assert isinstance(attacker, CsrfClient) and isinstance(browser, CsrfClient)
    statuses = [fail_login(attacker, "OWNER", address="203.0.113.7") for _ in range(5)]
    assert statuses == [422, 422, 422, 429, 429]
    response = log_in_from(browser, owner.name, "198.51.100.20")
    assert response.status_code == 302
    assert browser.get("/account/settings").status_code == 200


@pytest.mark.config(**LIMITED)
def test_the_account_ceiling_slows_addresses_that_failed_but_never_a_fresh_address(
    app: Flask,
) -> None:
    owner = make_user(name="owner")
    attacker, browser = app.test_client(), app.test_client()
    assert isinstance(attacker, CsrfClient) and isinstance(browser, CsrfClient)
    # Six wrong passwords from three addresses reach the account's ceiling of six.
    spread = [fail_login(attacker, owner.name, f"203.0.113.{n}") for n in (1, 1, 2, 2, 3, 3)]
    assert spread == [422] * 6
    # An address that has failed is refused now, although its own count (2 of 3) is not full.
    assert fail_login(attacker, owner.name, "203.0.113.1") == 429
    # A fresh address still gets its try; once it has failed, it is slowed like the others.
    assert fail_login(attacker, owner.name, "203.0.113.50") == 422
    assert fail_login(attacker, owner.name, "203.0.113.50") == 429
    # The owner, from their own address, logs in.
    assert log_in_from(browser, owner.name, "198.51.100.20").status_code == 302


@pytest.mark.config(**LIMITED)
def test_a_completed_password_reset_clears_the_login_throttles_of_the_account(
    client: CsrfClient,
) -> None:
    owner = make_user(name="owner")
    address = {"REMOTE_ADDR": "198.51.100.20"}
    assert [fail_login(client, owner.name, "198.51.100.20") for _ in range(3)] == [422] * 3
    assert log_in_from(client, owner.name, "198.51.100.20").status_code == 429
    client.post(
        "/account/password-reset", data={"login": owner.email}, environ_base=address
    ).close()
    body = outbox()[-1].get_body(("plain",)).get_content()
    link = re.search(r"http://forum\.test(/account/password-reset/[\w.-]+)", body)
    assert link
    assert client.get(link.group(1), environ_base=address).status_code == 303
    new = "rain on the roof tonight"
    done = client.post(
        "/account/password-reset/new",
        data={"new_password": new, "confirm": new},
        environ_base=address,
    )
    assert done.status_code == 302
    assert log_in_from(client, owner.name, "198.51.100.20", password=new).status_code == 302


@pytest.mark.config(**LIMITED)
def test_one_address_trying_many_accounts_is_limited(client: CsrfClient) -> None:
    statuses = [fail_login(client, f"someone{n}") for n in range(7)]
    assert statuses[:5] == [422] * 5
    assert statuses[5:] == [429, 429]


@pytest.mark.config(**LIMITED)
def test_successful_logins_do_not_count_as_wrong_passwords(client: CsrfClient) -> None:
    user = make_user()
    for _ in range(4):
        assert log_in_from(client, user.name, "10.0.1.1").status_code == 302


@pytest.mark.config(**LIMITED)
def test_a_successful_login_starts_the_count_of_its_address_over(client: CsrfClient) -> None:
    user = make_user()
    assert [fail_login(client, user.name, "10.0.1.2") for _ in range(2)] == [422, 422]
    assert log_in_from(client, user.name, "10.0.1.2").status_code == 302
    assert [fail_login(client, user.name, "10.0.1.2") for _ in range(2)] == [422, 422]


@pytest.mark.config(**LIMITED)
def test_registration_is_limited_per_address(client: CsrfClient) -> None:
    statuses = []
    for _n in range(3):
        response = client.post(
            "/account/register",
            data={"name": "x", "email": "bad", "password": "p", "confirm": "p"},
            environ_base={"REMOTE_ADDR": "10.0.2.1"},
        )
        statuses.append(response.status_code)
    assert statuses == [422, 422, 429]


@pytest.mark.config(**LIMITED)
def test_a_429_is_json_for_json_clients(client: CsrfClient) -> None:
    for _ in range(5):
        fail_login(client, "someone")
    response = client.post(
        "/account/login",
        data={"login": "someone", "password": "x"},
        headers={"Accept": "application/json"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.status_code == 429
    assert response.json is not None
    assert response.json["error"]["code"] == "too_many_requests"


@pytest.mark.redis
def test_limits_are_shared_through_redis(tmp_path: Path) -> None:
    redis_url = service_url("FORUM_TEST_REDIS_URL")
    # Redis outlives the test: a fresh client address keeps earlier runs' counts out.
    address = "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])
    settings = {**LIMITED, "REDIS_URL": redis_url}
    # Two apps stand for two server processes: the count is kept in Redis, not in memory.
    first_app = make_app(tmp_path, **settings)
    second_app = make_app(tmp_path, **settings)
    assert first_app.config["RATELIMIT_STORAGE_URI"] == redis_url
    from forum.extensions import db

    with first_app.app_context():
        db.create_all()
    first = first_app.test_client()
    second = second_app.test_client()
    assert isinstance(first, CsrfClient) and isinstance(second, CsrfClient)
    with first_app.app_context():
        statuses = [fail_login(first, f"shared{n}-{address}", address) for n in range(3)]
        db.session.remove()
        db.engine.dispose()
    with second_app.app_context():
        statuses += [fail_login(second, f"shared{n}-{address}", address) for n in range(3, 6)]
        db.session.remove()
        db.engine.dispose()
    assert statuses[:5] == [422] * 5
    assert statuses[5] == 429


@pytest.mark.redis
def test_wrong_password_counts_are_shared_through_redis(tmp_path: Path) -> None:
    redis_url = service_url("FORUM_TEST_REDIS_URL")
    account = f"shared-{uuid.uuid4().hex[:12]}"
    settings = {**LIMITED, "REDIS_URL": redis_url}
    first_app = make_app(tmp_path, **settings)
    second_app = make_app(tmp_path, **settings)
    from forum.extensions import db

    with first_app.app_context():
        db.create_all()
    statuses = []
    for app, tries in ((first_app, 2), (second_app, 2)):
        client = app.test_client()
        assert isinstance(client, CsrfClient)
        with app.app_context():
            statuses += [fail_login(client, account, "10.9.9.9") for _ in range(tries)]
            db.session.remove()
            db.engine.dispose()
    assert statuses == [422, 422, 422, 429]
