"""Helpers shared by the drug directory test modules: the imported subset, counts, a good review."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from forum.drugs.importer import DATA_DIR
from forum.extensions import db
from tests.conftest import CsrfClient
from tests.drug_data import import_subset

GOOD_REVIEW = {
    "condition": "High cholesterol",
    "effectiveness": "4",
    "ease_of_use": "5",
    "satisfaction": "4",
    "side_effects": "mild muscle aches",
    "comment": "It brought my **LDL** down in three months.",
}


def count(model: type[object]) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def shipped_rows(name: str) -> int:
    opener: Any = gzip.open if name.endswith(".gz") else open
    with opener(DATA_DIR / name, "rt", encoding="utf-8") as handle:
        if ".jsonl" in name:
            return sum(1 for line in handle if line.strip())
        return sum(1 for _ in csv.DictReader(handle))


@pytest.fixture
def drugs(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)


def post_review(client: CsrfClient, slug: str = "atorvastatin", **fields: str) -> TestResponse:
    return client.post(f"/drugs/{slug}/reviews/new", data={**GOOD_REVIEW, **fields})
