"""Interaction checks between medicines: ONC high-priority pairs and ANSM rules.

Each medicine is reduced to its ingredients (a combination product to its parts) and the
interaction classes of those ingredients; a rule matches a pair of medicines when one side
matches one medicine and the other side the other, in either order. Results come most
severe first. Medicines that are not in the directory, or that no source covers, are
reported as unchecked: never silently skipped. Nothing here logs a drug name.

A rule whose severity holds only in one case ("anti-inflammatory doses of aspirin") carries
that condition; each pair gets a plain-language summary from a fixed sentence per severity
(never per-pair pharmacology), with the source's own wording below it. One rule listed twice
by the source (ANSM lists most pairs in both drugs' tables) is shown once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import or_, select

from forum.drugs.findings import (
    LAY_SUMMARIES,
    InteractionReport,
    Medicine,
    PairFinding,
    Statement,
    add_statement,
)
from forum.extensions import db
from forum.models import (
    Drug,
    DrugIngredient,
    InteractionClass,
    InteractionRule,
    interaction_class_member,
)

__all__ = [
    "LAY_SUMMARIES",
    "InteractionReport",
    "Medicine",
    "PairFinding",
    "Statement",
    "check_interactions",
]

Tag = tuple[str, int]


@dataclass
class _Profile:
    """The tags (ingredients and classes) of each medicine, and how each was reached."""

    ingredients: dict[int, set[int]]
    tags: dict[int, dict[Tag, str]]
    names: dict[int, str]


def check_interactions(
    medicines: Sequence[Medicine], focus: Medicine | None = None
) -> InteractionReport:
    """Check every pair of medicines (or only pairs with `focus`, which is one of them)."""
    checkable = [m for m in medicines if m.is_checkable]
    unchecked = [m for m in medicines if not m.is_checkable]
    with_drugs = [m for m in medicines if m.drug is not None]
    profile = _profile(with_drugs)
    pairs = _match_rules(checkable, profile, focus)
    duplicates = []
    for a, b in combinations(with_drugs, 2):
        if focus is not None and focus not in (a, b):
            continue
        shared = _ingredients(profile, a) & _ingredients(profile, b)
        if shared:
            names = ", ".join(sorted(profile.names.get(i, "?") for i in shared))
            duplicates.append((a, b, names))
    return InteractionReport(pairs, unchecked, duplicates, checked=checkable)


def _ingredients(profile: _Profile, medicine: Medicine) -> set[int]:
    assert medicine.drug is not None
    return profile.ingredients.get(medicine.drug.id, {medicine.drug.id})


def _profile(medicines: Sequence[Medicine]) -> _Profile:
    drug_ids = {m.drug.id for m in medicines if m.drug is not None}
    ingredients: dict[int, set[int]] = {drug_id: set() for drug_id in drug_ids}
    names = {m.drug.id: m.drug.name for m in medicines if m.drug is not None}
    if drug_ids:
        rows = db.session.execute(
            select(DrugIngredient.drug_id, Drug.id, Drug.name)
            .join(Drug, Drug.id == DrugIngredient.ingredient_id)
            .where(DrugIngredient.drug_id.in_(drug_ids))
        )
        for drug_id, part_id, part_name in rows:
            ingredients[drug_id].add(part_id)
            names[part_id] = part_name
    for drug_id, parts in ingredients.items():
        if not parts:
            parts.add(drug_id)
    all_parts = set().union(*ingredients.values()) if ingredients else set()
    classes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if all_parts:
        rows = db.session.execute(
            select(interaction_class_member.c.drug_id, InteractionClass.id, InteractionClass.name)
            .join(InteractionClass, InteractionClass.id == interaction_class_member.c.class_id)
            .where(interaction_class_member.c.drug_id.in_(all_parts))
        )
        for part_id, class_id, class_name in rows:
            classes[part_id].append((class_id, class_name))
    tags: dict[int, dict[Tag, str]] = {}
    for drug_id, parts in ingredients.items():
        found: dict[Tag, str] = {}
        for part in parts:
            combination = part != drug_id
            found[("d", part)] = f"contains {names[part]}" if combination else ""
            for class_id, class_name in classes[part]:
                found.setdefault(("c", class_id), f"{names[part]} is one of: {class_name}")
        tags[drug_id] = found
    return _Profile(ingredients, tags, names)


def _side(rule: InteractionRule, n: int) -> Tag:
    drug_id = rule.item1_drug_id if n == 1 else rule.item2_drug_id
    class_id = rule.item1_class_id if n == 1 else rule.item2_class_id
    return ("d", drug_id) if drug_id is not None else ("c", class_id or 0)


def _match_rules(
    medicines: Sequence[Medicine], profile: _Profile, focus: Medicine | None
) -> list[PairFinding]:
    if len(medicines) < 2:
        return []
    drug_tags = {tag[1] for m in medicines for tag in _tags(profile, m) if tag[0] == "d"}
    class_tags = {tag[1] for m in medicines for tag in _tags(profile, m) if tag[0] == "c"}
    rules = db.session.scalars(
        select(InteractionRule).where(
            or_(
                InteractionRule.item1_drug_id.in_(drug_tags),
                InteractionRule.item1_class_id.in_(class_tags),
            ),
            or_(
                InteractionRule.item2_drug_id.in_(drug_tags),
                InteractionRule.item2_class_id.in_(class_tags),
            ),
        )
    ).all()
    found: dict[tuple[int, int], PairFinding] = {}
    seen: set[tuple[int, int, int]] = set()
    for rule in sorted(rules, key=lambda r: (r.source, _ref_order(r.ref))):
        sides = (_side(rule, 1), _side(rule, 2))
        for i, j in _pairs_matching(medicines, profile, sides):
            a, b = medicines[i], medicines[j]
            if focus is not None and focus not in (a, b):
                continue
            if _ingredients(profile, a) == _ingredients(profile, b):
                continue
            key = (min(i, j), max(i, j))
            if (*key, rule.id) in seen:
                continue
            seen.add((*key, rule.id))
            via = tuple(v for v in (_tags(profile, a)[sides[0]], _tags(profile, b)[sides[1]]) if v)
            pair = found.setdefault(key, PairFinding(medicines[key[0]], medicines[key[1]]))
            add_statement(
                pair,
                Statement(
                    rule.source, rule.ref, rule.severity, rule.mechanism, rule.advice,
                    rule.source_date, via, rule.condition,
                ),
            )  # fmt: skip
    for pair in found.values():
        # Most severe first; at one level, a statement that always holds before a conditional one.
        pair.statements.sort(key=lambda s: (-s.severity.rank, bool(s.condition), s.source))
    return sorted(
        found.values(),
        key=lambda p: (-p.severity.rank, p.first.label.lower(), p.second.label.lower()),
    )


def _tags(profile: _Profile, medicine: Medicine) -> dict[Tag, str]:
    assert medicine.drug is not None
    return profile.tags[medicine.drug.id]


def _pairs_matching(
    medicines: Sequence[Medicine], profile: _Profile, sides: tuple[Tag, Tag]
) -> list[tuple[int, int]]:
    """Ordered (i, j): side one matches medicine i and side two medicine j, i != j."""
    first = [i for i, m in enumerate(medicines) if sides[0] in _tags(profile, m)]
    second = [j for j, m in enumerate(medicines) if sides[1] in _tags(profile, m)]
    return [(i, j) for i in first for j in second if i != j]


def _ref_order(ref: str) -> tuple[int, str]:
    return (int(ref), ref) if ref.isdigit() else (0, ref)
