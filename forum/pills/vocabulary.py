"""The SPL color and shape codes (forum/pills/data/spl_color_shape_codes.csv)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CODES_FILE = Path(__file__).resolve().parent / "data" / "spl_color_shape_codes.csv"
_PARENTHESES = re.compile(r"\s*\(.*\)")
_JUNK = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Term:
    """One color or shape: its SPL code, a URL-safe key ("double-circle") and a label."""

    code: str
    key: str
    label: str


def term_key(display_name: str) -> str:
    """ "HEPTAGON (7 SIDED)" -> "heptagon", "DOUBLE CIRCLE" -> "double-circle"."""
    name = _PARENTHESES.sub("", display_name).lower()
    return _JUNK.sub("-", name).strip("-")[:20]


@cache
def _terms() -> dict[str, tuple[Term, ...]]:
    found: dict[str, list[Term]] = {"color": [], "shape": []}
    with CODES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["display_name"].strip()
            term = Term(row["spl_code"].strip(), term_key(name), name.capitalize())
            found[row["attribute"].strip()].append(term)
    return {kind: tuple(terms) for kind, terms in found.items()}


def colors() -> tuple[Term, ...]:
    return _terms()["color"]


def shapes() -> tuple[Term, ...]:
    return _terms()["shape"]


def color_keys() -> list[str]:
    return [term.key for term in colors()]


def shape_keys() -> list[str]:
    return [term.key for term in shapes()]


def decode(kind: str, code: str, display_name: str) -> str | None:
    """The key of an SPL color or shape: by its code, else by the name the label gives."""
    for term in _terms()[kind]:
        if term.code == code:
            return term.key
    return term_key(display_name) or None


def label_of(kind: str, key: str | None) -> str:
    """ "double-circle" -> "Double circle"; a key outside the vocabulary, as it is."""
    for term in _terms()[kind]:
        if term.key == key:
            return term.label
    return (key or "").replace("-", " ").capitalize()
