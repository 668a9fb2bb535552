"""Fixtures shared by the API read-side test modules: the world, an API client, list items."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.api_support import Api, World, build_world
from tests.conftest import CsrfClient


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


@pytest.fixture
def api(app: Flask, client: CsrfClient) -> Api:
    return Api(app, client)


def items(response: object) -> list[dict[str, object]]:
    body = response.get_json()  # type: ignore[attr-defined]
    assert isinstance(body["items"], list)
    return body["items"]  # type: ignore[no-any-return]
