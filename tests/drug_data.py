"""Test helpers for the drug directory: a small subset of the shipped data files, imported."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from forum.drugs.importer import DATA_DIR, import_drugs
from forum.extensions import db
from forum.models import Drug

# Enough for the walk-through, class and ingredient rules, duplicates and conditions.
SUBSET = (
    "abemaciclib",
    "acetaminophen",
    "acetaminophen and codeine",
    "aspirin",
    "atorvastatin",
    "clarithromycin",
    "clopidogrel",
    "codeine",
    "ezetimibe",
    "ezetimibe/atorvastatin",
    "ibuprofen",
    "lisinopril",
    "metformin",
    "simvastatin",
    "warfarin",
)


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_rows(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> None:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _filter_csv(source: Path, target: Path, keep: Any) -> list[dict[str, str]]:
    header, rows = _rows(source)
    kept = [row for row in rows if keep(row)]
    _write_rows(target, header, kept)
    return kept


def _filter_jsonl(source: Path, target: Path, keys: set[str]) -> None:
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        kept = [line for line in lines if json.loads(line)["key"] in keys]
    with gzip.open(target, "wt", encoding="utf-8") as handle:
        handle.writelines(kept)


def write_subset(folder: Path, keys: Iterable[str] = SUBSET) -> Path:
    """Copies of the shipped files holding only these drugs and the rules between them."""
    wanted = set(keys)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("drugs.csv.gz", "names.csv.gz", "indications.csv"):
        _filter_csv(DATA_DIR / name, folder / name, lambda row: row["key"] in wanted)
    _filter_csv(
        DATA_DIR / "ingredients.csv",
        folder / "ingredients.csv",
        lambda row: row["key"] in wanted and row["ingredient"] in wanted,
    )
    members = _filter_csv(
        DATA_DIR / "interaction_classes.csv",
        folder / "interaction_classes.csv",
        lambda row: row["key"] in wanted,
    )
    classes = {row["class"] for row in members}

    def keep_rule(row: dict[str, str]) -> bool:
        return all(
            row[f"item{n}"] in (wanted if row[f"kind{n}"] == "drug" else classes) for n in "12"
        )

    _filter_csv(
        DATA_DIR / "interaction_rules.csv.gz", folder / "interaction_rules.csv.gz", keep_rule
    )
    for name in ("labels.jsonl.gz", "nci_summaries.jsonl.gz"):
        _filter_jsonl(DATA_DIR / name, folder / name, wanted)
    return folder


def import_subset(tmp_path: Path, keys: Iterable[str] = SUBSET) -> dict[str, int]:
    """Import a subset of the drug data into the test database."""
    return import_drugs(write_subset(tmp_path / "drug-data", keys))


def drug(key: str) -> Drug:
    found = db.session.scalar(select(Drug).where(Drug.key == key))
    assert found is not None, key
    return found
