"""Drug names shared by the drug directory, the pill identifier, search and the data build:
normalization, and the lookup of the drugs a set of names leads to.

The normalization is plain Python (tools/build_drug_data.py uses it too); only
`drugs_named` reads the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator

from sqlalchemy import select

from forum.extensions import db
from forum.models import Drug, DrugName, NameKind

_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")
_PARENTHESES = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_COMBO_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s+with\s+|/|\s*\+\s*)\s*")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
# Salt and hydrate words after an ingredient: "atorvastatin calcium trihydrate".
SALT_WORDS = frozenset(
    {
        "acetate",
        "anhydrous",
        "besylate",
        "bisulfate",
        "bitartrate",
        "bromide",
        "calcium",
        "camsylate",
        "citrate",
        "dihydrate",
        "dihydrochloride",
        "dimaleate",
        "dimesylate",
        "dipropionate",
        "disodium",
        "ditosylate",
        "fumarate",
        "gluconate",
        "hcl",
        "hemifumarate",
        "hemihydrate",
        "hydrobromide",
        "hydrochloride",
        "hyclate",
        "lactate",
        "malate",
        "maleate",
        "medoxomil",
        "mesylate",
        "monohydrate",
        "monosodium",
        "olamine",
        "pamoate",
        "phosphate",
        "potassium",
        "sodium",
        "succinate",
        "sulfate",
        "tartrate",
        "tosylate",
        "trihydrate",
    }
)


def normalize(name: str) -> str:
    """The lookup key of a name: NFKC, lower case, plain apostrophes, single spaces."""
    text = unicodedata.normalize("NFKC", name)
    text = _INVISIBLE.sub("", text).replace("\u2019", "'").replace("\u2018", "'")
    return _SPACES.sub(" ", text).strip().lower()


def slugify(key: str) -> str:
    """A URL slug for a canonical key: "st. john's wort" -> "st-john-s-wort"."""
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return _SLUG_JUNK.sub("-", ascii_key.lower()).strip("-")[:200] or "drug"


def candidates(name: str) -> Iterator[str]:
    """Ever looser spellings of a name to look up: as typed, without (...), without salts."""
    key = normalize(name)
    seen: set[str] = set()
    for form in (key, _PARENTHESES.sub("", key).strip()):
        words = form.replace(",", " ").split()
        while words:
            variant = " ".join(words)
            if variant not in seen:
                seen.add(variant)
                yield variant
            if words[-1] not in SALT_WORDS or len(words) == 1:
                break
            words = words[:-1]


def combo_parts(name: str) -> list[str]:
    """The ingredient names of a combination ("a and b", "a/b", "a, b and c"); [] if single."""
    parts = [part for part in _COMBO_SPLIT.split(normalize(name)) if part]
    return parts if len(parts) > 1 else []


class Resolver:
    """Finds the canonical key of a drug name through names, salts and combinations."""

    def __init__(self, names: dict[str, str], combos: dict[frozenset[str], str]) -> None:
        self.names = names
        self.combos = combos

    def single(self, name: str) -> str | None:
        for candidate in candidates(name):
            key = self.names.get(candidate)
            if key is not None:
                return key
        return None

    def resolve(self, name: str) -> str | None:
        """The canonical key for a name, or None when it is not a known drug."""
        key = self.single(name)
        if key is not None:
            return key
        parts = combo_parts(name)
        if not parts:
            return None
        keys = [self.single(part) for part in parts]
        if any(found is None for found in keys):
            return None
        return self.combos.get(frozenset(k for k in keys if k is not None))


def ingredient_keys(key: str, resolver: Resolver) -> list[str]:
    """The single-ingredient keys of a combination's canonical key ([] for a single drug)."""
    parts = combo_parts(key)
    found = [resolver.single(part) for part in parts]
    if not parts or any(part is None for part in found):
        return []
    return sorted({part for part in found if part is not None and part != key})


def unique(items: Iterable[str]) -> list[str]:
    """The items in their first order, without repeats."""
    return list(dict.fromkeys(items))


def drugs_named(keys: Collection[str], any_name: str = "") -> dict[str, tuple[str, NameKind, Drug]]:
    """The listed drug each normalized name leads to, as (name, kind, drug); where a name leads
    to several, a common medicine first (one query).

    Only linkable names count (not everyday words, see DrugName.is_linkable), except the key
    `any_name`, for which any name does.
    """
    rows = db.session.execute(
        select(DrugName.key, DrugName.name, DrugName.kind, DrugName.is_linkable, Drug)
        .join(Drug, Drug.id == DrugName.drug_id)
        .where(DrugName.key.in_(keys), Drug.is_listed)
        .order_by(Drug.is_common.desc(), Drug.id)
    )
    found: dict[str, tuple[str, NameKind, Drug]] = {}
    for key, name, kind, is_linkable, drug in rows:
        if (is_linkable or key == any_name) and key not in found:
            found[key] = (name, kind, drug)
    return found
