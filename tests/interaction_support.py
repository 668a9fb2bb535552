"""Helpers shared by the interaction test modules: drugs, classes, rules and query counts."""

from __future__ import annotations

from sqlalchemy import insert

from forum.drugs.interactions import Medicine
from forum.extensions import db
from forum.models import Drug, InteractionClass, InteractionRule, Severity, interaction_class_member


def make_drug(name: str, covered: bool = True) -> Drug:
    found = Drug(key=name.lower(), slug=name.lower(), name=name, has_interaction_data=covered)
    db.session.add(found)
    db.session.flush()
    return found


def make_class(name: str, *members: Drug) -> InteractionClass:
    group = InteractionClass(source="ansm", key=name.upper(), name=name)
    db.session.add(group)
    db.session.flush()
    for member in members:
        db.session.execute(
            insert(interaction_class_member), {"class_id": group.id, "drug_id": member.id}
        )
    return group


def make_rule(
    first: Drug | InteractionClass,
    second: Drug | InteractionClass,
    severity: Severity,
    mechanism: str = "Risk.",
    source: str = "ansm",
    ref: str = "1",
    condition: str = "",
) -> InteractionRule:
    sides: dict[str, int] = {}
    for n, item in (("1", first), ("2", second)):
        kind = "drug" if isinstance(item, Drug) else "class"
        sides[f"item{n}_{kind}_id"] = item.id
    rule = InteractionRule(
        source=source,
        ref=ref,
        severity=severity,
        mechanism=mechanism,
        advice="Ask.",
        condition=condition,
        **sides,
    )
    db.session.add(rule)
    db.session.flush()
    return rule


def medicines(*drugs: Drug) -> list[Medicine]:
    return [Medicine(d.name, d) for d in drugs]
