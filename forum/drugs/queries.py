"""Read helpers for the drug directory: find drugs by name or condition, browse, drug pages
(with the averages and the page of member reviews they show)."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, case, false, func, or_, select

from forum import policies
from forum.drug_names import normalize
from forum.errors import NotFound
from forum.extensions import db
from forum.models import (
    Drug,
    DrugIndication,
    DrugIngredient,
    DrugLabelExcerpt,
    DrugName,
    DrugReview,
    DrugSummary,
    NameKind,
    SafetyNotice,
    Viewer,
    safety_notice_drug,
)
from forum.search import engine
from forum.search.query import words_of

AUTOCOMPLETE_MIN, AUTOCOMPLETE_LIMIT = 2, 10
QUERY_MAX = 100
NAME_RESULTS = 50
CONDITION_ROWS = 600
LETTERS = "abcdefghijklmnopqrstuvwxyz#"
_KIND_ORDER = case(
    (DrugName.kind == NameKind.CANONICAL, 0), (DrugName.kind == NameKind.BRAND, 1), else_=2
)


@dataclass(frozen=True)
class NameMatch:
    """A name that leads to a drug ("Lipitor" -> Atorvastatin)."""

    name: str
    kind: NameKind
    drug_name: str
    slug: str

    @property
    def is_other_name(self) -> bool:
        return normalize(self.name) != normalize(self.drug_name)


def drug_by_slug(slug: str) -> Drug:
    drug = db.session.scalar(select(Drug).where(Drug.slug == slug[:220]))
    if drug is None:
        raise NotFound()
    return drug


def drug_by_name(name: str) -> Drug | None:
    """The drug a name (canonical, brand or synonym) leads to exactly, if any."""
    key = normalize(name)[:QUERY_MAX]
    if not key:
        return None
    return db.session.scalar(
        select(Drug)
        .join(DrugName, DrugName.drug_id == Drug.id)
        .where(DrugName.key == key)
        .order_by(Drug.is_listed.desc(), Drug.is_common.desc(), _KIND_ORDER, Drug.id)
        .limit(1)
    )


def _name_matches(where: Any, limit: int) -> list[NameMatch]:
    """Names matching a condition, one per drug: canonical and brand names and common
    medicines first, shorter names first."""
    rows = db.session.execute(
        select(DrugName.name, DrugName.kind, Drug.name, Drug.slug)
        .join(Drug, Drug.id == DrugName.drug_id)
        .where(where, Drug.is_listed)
        .order_by(Drug.is_common.desc(), _KIND_ORDER, func.length(DrugName.key), DrugName.key)
        .limit(limit * 4)
    )
    found: dict[str, NameMatch] = {}
    for name, kind, drug_name, slug in rows:
        if slug not in found:
            found[slug] = NameMatch(name, kind, drug_name, slug)
    return list(found.values())[:limit]


def autocomplete(text: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[NameMatch]:
    """Names starting with what was typed (an index range scan), one per drug."""
    key = normalize(text)[:QUERY_MAX]
    if len(key) < AUTOCOMPLETE_MIN:
        return []
    prefix = (DrugName.key >= key) & (DrugName.key < key + "\U0010ffff")
    return _name_matches(prefix, limit)


def search_names(text: str) -> list[NameMatch]:
    """The search page: names that start with, then contain, what was typed."""
    key = normalize(text)[:QUERY_MAX]
    if not key:
        return []
    matches = autocomplete(key, NAME_RESULTS)
    if len(matches) < NAME_RESULTS and len(key) >= 3:
        seen = {match.slug for match in matches}
        contained = _name_matches(DrugName.key.contains(key, autoescape=True), NAME_RESULTS)
        matches += [m for m in contained if m.slug not in seen][: NAME_RESULTS - len(matches)]
    return matches


def suggest_names(text: str, limit: int = 8) -> list[NameMatch]:
    """Names close to a misspelled one ("atorvastatinn"): same first letters, similar."""
    key = normalize(text)[:QUERY_MAX]
    found = search_names(key)[:limit]
    if found or len(key) < 4:
        return found
    prefix = key[:3]
    rows = db.session.scalars(
        select(DrugName.key)
        .join(Drug, Drug.id == DrugName.drug_id)
        .where(DrugName.key >= prefix, DrugName.key < prefix + "\U0010ffff", Drug.is_listed)
        .limit(5000)
    )
    close = difflib.get_close_matches(key, list(rows), n=limit, cutoff=0.75)
    return _name_matches(DrugName.key.in_(close), limit) if close else []


def browse(letter: str, page: int, per_page: int, everything: bool = False) -> Pagination:
    """Drugs by first letter: common medicines only, or every substance."""
    query: Select[Any] = select(Drug).where(Drug.is_listed, Drug.initial == letter)
    if not everything:
        query = query.where(Drug.is_common)
    return db.paginate(query.order_by(Drug.name), page=page, per_page=per_page, error_out=False)


@dataclass
class ConditionGroup:
    condition: str
    drugs: list[Drug] = field(default_factory=list)
    sources: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))


def condition_phrases(text: str) -> list[str]:
    """What was typed, plus lay or clinical synonyms ("high blood pressure": hypertension)."""
    words = words_of(text[:QUERY_MAX])
    if not words:
        return []
    phrases = [" ".join(words)]
    for alternative in engine.synonyms().alternatives(words):
        phrases.append(" ".join(alternative))
    return list(dict.fromkeys(phrases))


def drugs_for_condition(text: str) -> list[ConditionGroup]:
    """Drugs used for a condition, grouped by the conditions that matched, best first."""
    phrases = condition_phrases(text)
    if not phrases:
        return []
    rows = db.session.execute(
        select(DrugIndication.condition, DrugIndication.source, Drug)
        .join(Drug, Drug.id == DrugIndication.drug_id)
        .where(
            Drug.is_listed,
            or_(*(DrugIndication.condition_key.contains(p, autoescape=True) for p in phrases)),
        )
        .order_by(DrugIndication.condition_key, Drug.name)
        .limit(CONDITION_ROWS)
    )
    groups: dict[str, ConditionGroup] = {}
    for condition, source, drug in rows:
        group = groups.setdefault(condition.lower(), ConditionGroup(condition))
        if drug.id not in group.sources:
            group.drugs.append(drug)
        group.sources[drug.id].add(source)

    def rank(group: ConditionGroup) -> tuple[bool, int]:
        return normalize(group.condition) not in phrases, -len(group.drugs)

    return sorted(groups.values(), key=rank)


@dataclass
class DrugPage:
    """Everything the drug page shows besides reviews and community threads."""

    drug: Drug
    brands: list[str]
    synonyms: list[str]
    conditions: list[tuple[str, list[DrugIndication]]]
    labels: dict[str, DrugLabelExcerpt]
    summary: DrugSummary | None
    ingredients: list[Drug]
    combinations: list[Drug]
    notices: list[SafetyNotice]


def drug_page(drug: Drug) -> DrugPage:
    """The drug page's reference data, in a fixed number of queries."""
    names = db.session.scalars(
        select(DrugName)
        .where(DrugName.drug_id == drug.id, DrugName.kind != NameKind.CANONICAL)
        .order_by(DrugName.key)
    ).all()
    conditions: dict[str, list[DrugIndication]] = {}
    for row in db.session.scalars(
        select(DrugIndication)
        .where(DrugIndication.drug_id == drug.id)
        .order_by(DrugIndication.condition_key, DrugIndication.source)
    ):
        conditions.setdefault(row.condition_key, []).append(row)
    labels = {
        row.kind: row
        for row in db.session.scalars(
            select(DrugLabelExcerpt).where(DrugLabelExcerpt.drug_id == drug.id)
        )
    }
    return DrugPage(
        drug=drug,
        brands=[n.name for n in names if n.kind == NameKind.BRAND],
        synonyms=[n.name for n in names if n.kind == NameKind.SYNONYM],
        conditions=[(rows[0].condition, rows) for rows in conditions.values()],
        labels=labels,
        summary=db.session.scalar(select(DrugSummary).where(DrugSummary.drug_id == drug.id)),
        ingredients=_related(DrugIngredient.drug_id, DrugIngredient.ingredient_id, drug),
        combinations=_related(DrugIngredient.ingredient_id, DrugIngredient.drug_id, drug),
        notices=list(
            db.session.scalars(
                select(SafetyNotice)
                .join(safety_notice_drug)
                .where(safety_notice_drug.c.drug_id == drug.id)
                .order_by(SafetyNotice.published_at.desc())
                .limit(10)
            )
        ),
    )


def _related(own: Any, other: Any, drug: Drug, limit: int = 30) -> list[Drug]:
    query = (
        select(Drug)
        .join(DrugIngredient, other == Drug.id)
        .where(own == drug.id, Drug.is_listed)
        .order_by(Drug.name)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def search_terms(drug: Drug, limit: int = 8) -> list[str]:
    """The names to look for in forum threads: the drug's name and its linkable names."""
    names = db.session.scalars(
        select(DrugName.name)
        .where(
            DrugName.drug_id == drug.id,
            or_(DrugName.is_linkable, DrugName.kind == NameKind.CANONICAL),
        )
        .order_by(_KIND_ORDER, func.length(DrugName.key))
        .limit(limit)
    )
    return list(dict.fromkeys([drug.name, *names]))


def letter_is_valid(letter: str) -> bool:
    return len(letter) == 1 and letter in LETTERS


@dataclass(frozen=True)
class ConditionStats:
    condition: str
    condition_key: str
    count: int
    effectiveness: float
    ease_of_use: float
    satisfaction: float


def review_stats(drug_id: int) -> list[ConditionStats]:
    """Averages and counts of the visible reviews of a drug, per condition, most reviewed
    first (one query)."""
    rows = db.session.execute(
        select(
            func.min(DrugReview.condition),
            DrugReview.condition_key,
            func.count(DrugReview.id),
            func.avg(DrugReview.effectiveness),
            func.avg(DrugReview.ease_of_use),
            func.avg(DrugReview.satisfaction),
        )
        .where(DrugReview.drug_id == drug_id, DrugReview.is_hidden == false())
        .group_by(DrugReview.condition_key)
        .order_by(func.count(DrugReview.id).desc(), DrugReview.condition_key)
    )
    return [
        ConditionStats(name, key, count, float(eff), float(ease), float(sat))
        for name, key, count, eff, ease, sat in rows
    ]


def reviews_page(
    viewer: Viewer, drug_id: int, condition_key: str, page: int, per_page: int
) -> Pagination:
    """The reviews a viewer may read, newest first, for one condition or all."""
    query = select(DrugReview).where(DrugReview.drug_id == drug_id)
    if condition_key:
        query = query.where(DrugReview.condition_key == condition_key)
    query = policies.visible_reviews(viewer, query).order_by(
        DrugReview.created_at.desc(), DrugReview.id.desc()
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def own_reviews(viewer: Viewer, drug_id: int) -> list[DrugReview]:
    if not policies.is_member(viewer):
        return []
    query = select(DrugReview).where(
        DrugReview.drug_id == drug_id, DrugReview.author_id == viewer.id
    )
    return list(db.session.scalars(query.order_by(DrugReview.condition)))
