"""Login, registration and reset are rate limited per address and per account."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.conftest import CsrfClient, make_app, service_url
from tests.factories import PASSWORD, make_user

LIMITED = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT": "5 per minute",
    "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute",
    "REGISTER_RATE_LIMIT": "2 per hour",
}


def fail_login(client: CsrfClient, name: str, address: str = "10.0.0.1") -> int:
    response = client.post(
        "/account/login",
        data={"login": name, "password": "wrong password"},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


@pytest.mark.config(**LIMITED)
def test_repeated_wrong_logins_for_one_account_get_a_friendly_429(client: CsrfClient) -> None:
    user = make_user()
    statuses = [fail_login(client, user.name, address=f"10.0.0.{n}") for n in range(1, 6)]
    assert statuses == [422, 422, 422, 429, 429]
    response = client.post(
        "/account/login",
        data={"login": user.name, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.99"},
    )
    assert response.status_code == 429
    assert "tried that too often" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


@pytest.mark.config(**LIMITED)
def test_one_address_trying_many_accounts_is_limited(client: CsrfClient) -> None:
    statuses = [fail_login(client, f"someone{n}") for n in range(7)]
    assert statuses[:5] == [422] * 5
    assert statuses[5:] == [429, 429]


@pytest.mark.config(**LIMITED)
def test_successful_logins_do_not_use_up_the_account_limit(client: CsrfClient) -> None:
    user = make_user()
    for n in range(4):
        response = client.post(
            "/account/login",
            data={"login": user.name, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": f"10.0.1.{n}"},
        )
        assert response.status_code == 302


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
