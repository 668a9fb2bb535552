"""The drug name dictionary as the drug data build reads it (see build_drug_data.py)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from forum.drug_names import Resolver, combo_parts, normalize

Row = dict[str, str]


def read_csv(path: Path, delimiter: str = ",") -> list[Row]:
    with path.open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows, delimiter=delimiter))


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def is_clean_name(name: str) -> bool:
    """Drop the dictionary's junk variants (wiki markup, HTML entities, mojibake)."""
    return (
        bool(name)
        and len(name) <= 120
        and not any(bad in name for bad in ("''", "&amp;", "&nbsp", "î", "Â", "@"))
    )


class Vocabulary:
    """The drug dictionary: canonical drugs, their names, and a resolver over all of them."""

    def __init__(self, folder: Path) -> None:
        self.drugs = {row["canonical_key"]: row for row in read_csv(folder / "drugs.csv")}
        self.variants: dict[str, list[tuple[str, str]]] = defaultdict(list)
        names: dict[str, str] = {}
        for row in read_csv(folder / "drug_name_variants.csv"):
            variant = normalize(row["variant"])
            if is_clean_name(variant) and row["canonical_key"] in self.drugs:
                self.variants[row["canonical_key"]].append((variant, row["is_brand"]))
                names.setdefault(variant, row["canonical_key"])
        for key in self.drugs:
            names[normalize(key)] = key
        self.resolver = Resolver(names, {})
        self.aliases: dict[str, str] = {}
        self._index_combinations()
        self.brands: dict[str, dict[str, str]] = defaultdict(dict)

    def _index_combinations(self) -> None:
        """Combinations by ingredient set; duplicates ("a/b", "a and b") fold into one."""
        by_parts: dict[frozenset[str], list[str]] = defaultdict(list)
        for key in self.drugs:
            parts = [self.resolver.single(part) for part in combo_parts(key)]
            if parts and all(parts) and len(set(parts)) > 1:
                by_parts[frozenset(p for p in parts if p)].append(key)
        for ingredients, keys in by_parts.items():
            keys.sort(key=self._preference)
            self.resolver.combos[ingredients] = keys[0]
            for other in keys[1:]:
                self.aliases[other] = keys[0]

    def _preference(self, key: str) -> tuple[int, int, str]:
        row = self.drugs[key]
        return (not row["medline_plus_id"], not row["drugbank_id"], key)

    def resolve(self, name: str) -> str | None:
        key = self.resolver.resolve(name)
        return self.aliases.get(key, key) if key else None

    def by_drugbank_id(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, row in sorted(self.drugs.items()):
            if row["drugbank_id"]:
                found.setdefault(row["drugbank_id"], self.aliases.get(key, key))
        return found

    def is_listed(self, key: str) -> bool:
        """A drug the directory lists on its own: a real medicine or a resolvable combination."""
        row = self.drugs[key]
        if key in self.aliases:
            return False
        if any(row[f] for f in ("drugbank_id", "medline_plus_id", "nhs_url", "wikipedia_url")):
            return True
        return key in self.resolver.combos.values()
