"""`flask import drugs`: load the shipped drug files (forum/drugs/data) into the database.

Idempotent: drugs are matched by their canonical key, so their ids (which reviews, cabinets
and safety notices point to) never change; the reference tables derived from the files
(names, indications, labels, summaries, interaction classes and rules) are replaced whole.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update

from forum.drug_names import normalize
from forum.drugs import caches
from forum.drugs.rule_text import rule_condition
from forum.drugs.sources import SOURCES
from forum.extensions import db
from forum.models import (
    Drug,
    DrugIndication,
    DrugIngredient,
    DrugLabelExcerpt,
    DrugName,
    DrugSummary,
    InteractionClass,
    InteractionRule,
    NameKind,
    Severity,
    interaction_class_member,
    utcnow,
)
from forum.text import render_markdown

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH = 2000
CATEGORY_LABELS = {"DM": "Disease-modifying", "SYM": "Treats symptoms"}
# Class names stay upper case only where they are abbreviations.
_ABBREVIATIONS = frozenset(
    {"ACE", "ARBS", "ASA", "COMT", "EKG", "II", "IA", "IM", "IV", "MAO", "MAOI", "SSRIS", "TNF"}
)


@dataclass
class ImportRun:
    folder: Path
    ids: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


Step = Callable[[ImportRun], None]


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _insert(target: type[Any] | Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows in batches (executemany); returns how many."""
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(insert(target), batch)
            count, batch = count + len(batch), []
    if batch:
        db.session.execute(insert(target), batch)
        count += len(batch)
    return count


def _initial(name: str) -> str:
    first = name[:1].lower()
    return first if "a" <= first <= "z" else "#"


def _load_drugs(run: ImportRun) -> None:
    rows = list(read_rows(run.folder / "drugs.csv.gz"))
    existing = {key: id_ for key, id_ in db.session.execute(select(Drug.key, Drug.id))}
    slug_owner = {slug: id_ for slug, id_ in db.session.execute(select(Drug.slug, Drug.id))}
    now = utcnow()
    # A slug that moved to another drug: park the old owner's first (slugs are unique).
    parked = [
        {"id": slug_owner[row["slug"]], "slug": f"{row['slug']}~{slug_owner[row['slug']]}"}
        for row in rows
        if row["slug"] in slug_owner and slug_owner[row["slug"]] != existing.get(row["key"])
    ]
    if parked:
        db.session.execute(update(Drug), parked)
    db.session.execute(update(Drug).values(is_listed=False))
    values = [
        {
            "key": row["key"],
            "slug": row["slug"],
            "name": row["name"],
            "initial": _initial(row["name"]),
            "drugbank_id": row["drugbank_id"],
            "medline_plus_id": row["medline_plus_id"],
            "nhs_slug": row["nhs_slug"],
            "wikipedia_url": row["wikipedia_url"],
            "is_common": row["common"] == "1",
            "is_listed": True,
            "imported_at": now,
        }
        for row in rows
    ]
    changed = [{"id": existing[v["key"]], **v} for v in values if v["key"] in existing]
    if changed:
        db.session.execute(update(Drug), changed)
    _insert(Drug, (v for v in values if v["key"] not in existing))
    run.ids = {key: id_ for key, id_ in db.session.execute(select(Drug.key, Drug.id))}
    run.counts["drugs"] = len(rows)


def _load_names(run: ImportRun) -> None:
    db.session.execute(delete(DrugName))

    def rows() -> Iterator[dict[str, Any]]:
        for row in read_rows(run.folder / "drugs.csv.gz"):
            yield {
                "drug_id": run.ids[row["key"]],
                "name": row["name"],
                "key": normalize(row["key"]),
                "kind": NameKind.CANONICAL,
                "is_linkable": row["link"] == "1",
            }
        for row in read_rows(run.folder / "names.csv.gz"):
            drug_id = run.ids.get(row["key"])
            if drug_id is not None:
                yield {
                    "drug_id": drug_id,
                    "name": row["name"],
                    "key": normalize(row["name"]),
                    "kind": NameKind(row["kind"]),
                    "is_linkable": row["link"] == "1",
                }

    run.counts["names"] = _insert(DrugName, rows())


def _load_ingredients(run: ImportRun) -> None:
    db.session.execute(delete(DrugIngredient))
    pairs = {
        (run.ids[row["key"]], run.ids[row["ingredient"]])
        for row in read_rows(run.folder / "ingredients.csv")
        if row["key"] in run.ids and row["ingredient"] in run.ids
    }
    run.counts["ingredients"] = _insert(
        DrugIngredient, ({"drug_id": d, "ingredient_id": i} for d, i in sorted(pairs))
    )


def _indication_text(row: dict[str, str]) -> str:
    if row["source"] == "pharmacotherapydb":
        category = CATEGORY_LABELS.get(row["category"], "")
        return f"{category}; {row['detail']} curator(s) agreed".strip("; ")
    count = int(row["detail"] or 0)
    return f"in {count} FDA label{'s' if count != 1 else ''}"


def _load_indications(run: ImportRun) -> None:
    db.session.execute(delete(DrugIndication))
    run.counts["indications"] = _insert(
        DrugIndication,
        (
            {
                "drug_id": run.ids[row["key"]],
                "condition": row["condition"],
                "condition_key": normalize(row["condition"]),
                "source": row["source"],
                "category": row["category"],
                "text": _indication_text(row),
                "source_date": SOURCES[row["source"]].date,
            }
            for row in read_rows(run.folder / "indications.csv")
            if row["key"] in run.ids
        ),
    )


def _load_labels(run: ImportRun) -> None:
    db.session.execute(delete(DrugLabelExcerpt))
    sources = {"indications": "labeledin", "warnings": "nlm_ddi_corpus"}
    run.counts["label_excerpts"] = _insert(
        DrugLabelExcerpt,
        (
            {
                "drug_id": run.ids[record["key"]],
                "kind": record["kind"],
                "title": record["title"][:300],
                "text": record["text"],
                "setid": record["setid"],
                "source": sources[record["kind"]],
                "source_date": SOURCES[sources[record["kind"]]].date,
            }
            for record in read_records(run.folder / "labels.jsonl.gz")
            if record["key"] in run.ids
        ),
    )


def _load_summaries(run: ImportRun) -> None:
    db.session.execute(delete(DrugSummary))
    run.counts["summaries"] = _insert(
        DrugSummary,
        (
            {
                "drug_id": run.ids[record["key"]],
                "title": record["title"][:200],
                "body_source": record["markdown"],
                "body_html": render_markdown(record["markdown"]),
                "url": record["url"],
                "source": "nci",
                "source_date": date.fromisoformat(record["retrieved"]),
            }
            for record in read_records(run.folder / "nci_summaries.jsonl.gz")
            if record["key"] in run.ids
        ),
    )


def class_label(name: str) -> str:
    """ "STRONG INHIBITORS OF CYP3A4" -> "Strong inhibitors of CYP3A4"."""
    words = []
    for word in name.split():
        letters = word.strip("(),").upper()
        keep = any(ch.isdigit() for ch in word) or letters in _ABBREVIATIONS
        words.append(word if keep else word.lower())
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _load_interactions(run: ImportRun) -> None:
    db.session.execute(delete(InteractionRule))
    db.session.execute(delete(interaction_class_member))
    db.session.execute(delete(InteractionClass))
    members = [row for row in read_rows(run.folder / "interaction_classes.csv")]
    names = {(row["source"], row["class"]): row["name"] for row in members}
    _insert(
        InteractionClass,
        ({"source": s, "key": k, "name": class_label(n)} for (s, k), n in sorted(names.items())),
    )
    class_ids = {
        (source, key): class_id
        for class_id, source, key in db.session.execute(
            select(InteractionClass.id, InteractionClass.source, InteractionClass.key)
        )
    }
    pairs = {
        (class_ids[(row["source"], row["class"])], run.ids[row["key"]])
        for row in members
        if row["key"] in run.ids
    }
    run.counts["class_members"] = _insert(
        interaction_class_member, ({"class_id": c, "drug_id": d} for c, d in sorted(pairs))
    )
    run.counts["interaction_classes"] = len(class_ids)
    run.counts["interaction_rules"] = _insert(InteractionRule, _rule_rows(run, class_ids))


def _rule_rows(run: ImportRun, class_ids: dict[tuple[str, str], int]) -> Iterator[dict[str, Any]]:
    for row in read_rows(run.folder / "interaction_rules.csv.gz"):
        sides: dict[str, Any] = {}
        for n in ("1", "2"):
            kind, item = row[f"kind{n}"], row[f"item{n}"]
            ansm_class = class_ids.get(("ansm", item)) if kind == "class" else None
            sides[f"item{n}_drug_id"] = run.ids.get(item) if kind == "drug" else None
            sides[f"item{n}_class_id"] = ansm_class
        if not all(sides[f"item{n}_drug_id"] or sides[f"item{n}_class_id"] for n in "12"):
            continue
        yield {
            "source": row["source"],
            "ref": row["ref"],
            **sides,
            "severity": Severity(row["severity"]),
            "mechanism": row["mechanism"],
            "advice": row["advice"],
            # A data build that keeps the source's condition ships it; else it is in the text.
            "condition": row.get("condition") or rule_condition(row["mechanism"], row["advice"]),
            "source_date": SOURCES[row["source"]].date,
        }


def _mark_coverage(run: ImportRun) -> None:
    """A drug has interaction data when it, or one of its ingredients, is in a rule or class."""
    direct = set(db.session.scalars(select(interaction_class_member.c.drug_id)))
    for column in (InteractionRule.item1_drug_id, InteractionRule.item2_drug_id):
        direct.update(db.session.scalars(select(column).where(column.is_not(None))))
    combos = db.session.execute(select(DrugIngredient.drug_id, DrugIngredient.ingredient_id))
    covered = direct | {drug_id for drug_id, part in combos if part in direct}
    db.session.execute(update(Drug).values(has_interaction_data=False))
    flags = [{"id": drug_id, "has_interaction_data": True} for drug_id in sorted(covered)]
    if flags:
        db.session.execute(update(Drug), flags)
    run.counts["drugs_with_interaction_data"] = len(covered)


STEPS: list[tuple[str, Step]] = [
    ("drugs", _load_drugs),
    ("names", _load_names),
    ("ingredients", _load_ingredients),
    ("indications", _load_indications),
    ("labels", _load_labels),
    ("summaries", _load_summaries),
    ("interactions", _load_interactions),
    ("coverage", _mark_coverage),
]


def import_drugs(
    folder: Path = DATA_DIR, on_step: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Load (or reload) the drug directory and interaction data; returns row counts."""
    run = ImportRun(folder)
    for label, step in STEPS:
        step(run)
        if on_step is not None:
            on_step(label)
    db.session.commit()
    caches.forget()
    listed = db.session.scalar(select(func.count(Drug.id)).where(Drug.is_listed)) or 0
    run.counts["drugs_listed"] = listed
    log.info("drug import: %s", ", ".join(f"{k} {v}" for k, v in run.counts.items()))
    return run.counts
