"""The pill identifier's API: GET /api/v1/pills, its list envelope and its 400s."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from forum.pills.importer import import_samples
from tests.api_support import Api
from tests.conftest import CsrfClient
from tests.drug_data import SUBSET, import_subset

CAUTION = "Identification by appearance is not certain: ask a pharmacist."


@pytest.fixture
def pills(app: Flask) -> None:
    import_samples()


@pytest.fixture
def drugs(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path, (*SUBSET, "sildenafil"))


@pytest.fixture
def api(app: Flask, client: CsrfClient) -> Api:
    return Api(app, client)


def test_the_api_lists_pills_in_the_list_envelope(api: Api, pills: None, drugs: None) -> None:
    body = api.get("/api/v1/pills?imprint=PD%20155").get_json()
    assert (body["page"], body["per_page"], body["total"], body["next"]) == (1, 20, 1, None)
    assert body["caution"] == CAUTION
    [item] = body["items"]
    assert (item["name"], item["strength"], item["imprint"]) == ("Lipitor", "10 mg", "PD 155 10")
    assert (item["colors"], item["shape"], item["size_mm"], item["score"]) == (
        ["white"], "oval", 10, 1
    )  # fmt: skip
    assert item["drug"]["url"].endswith("/drugs/atorvastatin")
    assert item["ingredients"] == [
        {"name": "atorvastatin", "strength": "10 mg", "drug": item["drug"]}
    ]
    assert item["label"] == {
        "set_id": "c6e131fe-e7df-4876-83f7-9156fc4e8228", "version": 11, "date": "2014-01-13"
    }  # fmt: skip


def test_the_api_pages_through_many_pills(api: Api, pills: None) -> None:
    first = api.get("/api/v1/pills?color=white&per_page=2&_scheme=x").get_json()
    assert first["total"] == 5 and len(first["items"]) == 2
    assert "page=2" in first["next"] and "color=white" in first["next"]
    assert "per_page=2" in first["next"] and "_scheme" not in first["next"]
    last = api.get("/api/v1/pills?color=white&per_page=2&page=3").get_json()
    assert len(last["items"]) == 1 and last["next"] is None and last["total"] == 5
    beyond = api.get("/api/v1/pills?color=white&per_page=2&page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 5
    two = api.get("/api/v1/pills?color=blue&color=white").get_json()
    assert two["total"] == 0 and two["items"] == []
    assert api.get("/api/v1/pills").get_json()["total"] == 0


@pytest.mark.parametrize(
    "query",
    ["size=0", "size=abc", "size=1.5", "color=chartreuse", "color=blue&color=white&color=red",
     "shape=blob", "score=0", "imprint=" + "A" * 41, "per_page=500", "page=0"],
)  # fmt: skip
def test_bad_api_parameters_are_400s_naming_the_field(api: Api, pills: None, query: str) -> None:
    response = api.get(f"/api/v1/pills?{query}")
    assert response.status_code == 400
    field = query.split("=")[0]
    assert field in response.get_json()["error"]["fields"]
