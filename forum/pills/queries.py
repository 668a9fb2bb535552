"""Read helpers for the pill identifier: search by appearance, products, drug links.

Pills link to the drug directory when they are read, by ingredient name: a pill imported
before the directory (`make run` loads no directory) links as soon as the directory is loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, distinct, exists, func, or_, select
from sqlalchemy.orm import joinedload

from forum.errors import NotFound
from forum.extensions import db
from forum.models import (
    Drug,
    DrugIngredient,
    DrugName,
    NameKind,
    Pill,
    PillImprintToken,
    PillIngredient,
    PillProduct,
)
from forum.pills import imprints, vocabulary
from forum.pills.drawing import Drawing, describe, draw

RESULTS = 20
SIZE_TOLERANCE_MM = 1
DRUG_PILLS = 50
_CANONICAL_FIRST = case((DrugName.kind == NameKind.CANONICAL, 0), else_=1)


@dataclass(frozen=True)
class PillSearch:
    """What the pill looks like: any of these may be left out."""

    imprint: str = ""
    colors: tuple[str, ...] = ()
    shape: str = ""
    size: int | None = None
    score: int | None = None

    @property
    def imprint_parts(self) -> list[str]:
        return imprints.query_parts(self.imprint)

    @property
    def is_empty(self) -> bool:
        return not (self.imprint_parts or self.colors or self.shape or self.size or self.score)


@dataclass
class PillMatch:
    """A pill with its product, its drawing and the directory's drugs it links to."""

    pill: Pill
    product: PillProduct
    drawing: Drawing | None
    description: str
    drug: Drug | None = None
    ingredient_drugs: list[tuple[PillIngredient, Drug | None]] = field(default_factory=list)

    @property
    def shape_name(self) -> str:
        return vocabulary.label_of("shape", self.pill.shape) if self.pill.shape else ""


@dataclass(frozen=True)
class SearchResults:
    matches: list[PillMatch]
    total: int


def _most_selective_first(parts: Sequence[str]) -> list[str]:
    """Longest first, without a part that another one starts with ("15" in "15 1376")."""
    kept = [p for p in parts if len(p) < 2 or not any(o != p and o.startswith(p) for o in parts)]
    return sorted(kept, key=len, reverse=True)


def _starts_a_token(part: str) -> list[Any]:
    """Tokens starting with the part: an index range scan (the same in every collation).

    A single character matches only a lone letter or digit ("5" finds "M 5", not "50"): as
    a start it would fit most pills and tell nothing.
    """
    if len(part) == 1:
        return [PillImprintToken.token == part]
    bound = imprints.prefix_bound(part)
    found = [PillImprintToken.token >= part]
    return found if bound is None else [*found, PillImprintToken.token < bound]


def _imprint_filters(parts: Sequence[str]) -> list[Any]:
    """Each typed part starts one of the pill's tokens: the most selective part finds the
    candidates, the others are checked per candidate (index on pill id and token)."""
    ordered = _most_selective_first(parts)
    if not ordered:
        return []
    first, *others = ordered
    filters: list[Any] = [
        Pill.id.in_(select(PillImprintToken.pill_id).where(*_starts_a_token(first)))
    ]
    for part in others:
        checks = [PillImprintToken.pill_id == Pill.id, *_starts_a_token(part)]
        filters.append(exists().where(*checks))
    return filters


def _filters(search: PillSearch) -> list[Any]:
    filters = _imprint_filters(search.imprint_parts)
    for color in search.colors:
        filters.append(or_(Pill.color == color, Pill.second_color == color))
    if search.shape:
        filters.append(Pill.shape == search.shape)
    if search.size:
        low, high = search.size - SIZE_TOLERANCE_MM, search.size + SIZE_TOLERANCE_MM
        filters.append(Pill.size_mm.between(low, high))
    if search.score:
        filters.append(Pill.score == search.score)
    return filters


def _order(search: PillSearch) -> list[Any]:
    """Whole-imprint matches first, then the shortest imprints (the closest reading)."""
    key = "".join(search.imprint_parts)
    closest = [(Pill.imprint_key == key).desc(), func.length(Pill.imprint_key)] if key else []
    return [*closest, Pill.imprint_key, Pill.id]


def search_pills(search: PillSearch, page: int = 1, per_page: int = RESULTS) -> SearchResults:
    """Pills that fit everything given; an empty search finds nothing (never "closest").

    One statement finds the page and counts every match (a window count, before the limit).
    """
    if search.is_empty:
        return SearchResults([], 0)
    filters = _filters(search)
    offset = (page - 1) * per_page
    query = select(Pill.id, func.count().over()).where(*filters).order_by(*_order(search))
    rows = db.session.execute(query.offset(offset).limit(per_page)).all()
    if rows:
        total = rows[0][1]
    elif offset:
        total = db.session.scalar(select(func.count()).select_from(Pill).where(*filters)) or 0
    else:
        total = 0
    return SearchResults(matches_for([row[0] for row in rows]), total)


def matches_for(pill_ids: Sequence[int]) -> list[PillMatch]:
    """The pills, in this order, with their products, ingredients and drug links."""
    if not pill_ids:
        return []
    pills = db.session.scalars(
        select(Pill)
        .where(Pill.id.in_(pill_ids))
        .options(joinedload(Pill.product).selectinload(PillProduct.ingredients))
    )
    by_id = {pill.id: pill for pill in pills}
    matches = [
        PillMatch(pill, pill.product, draw(pill), describe(pill))
        for pill in (by_id[i] for i in pill_ids if i in by_id)
    ]
    _link_drugs(matches)
    return matches


def _drugs_by_key(keys: Iterable[str]) -> dict[str, Drug]:
    """The directory drug each name leads to (listed, common and canonical names first)."""
    wanted = sorted({key for key in keys if key})
    if not wanted:
        return {}
    rows = db.session.execute(
        select(DrugName.key, Drug)
        .join(Drug, Drug.id == DrugName.drug_id)
        .where(DrugName.key.in_(wanted))
        .order_by(
            DrugName.key, Drug.is_listed.desc(), Drug.is_common.desc(), _CANONICAL_FIRST, Drug.id
        )
    )
    found: dict[str, Drug] = {}
    for key, drug in rows:
        found.setdefault(key, drug)
    return found


def _combinations(ingredient_sets: Iterable[frozenset[int]]) -> dict[frozenset[int], Drug]:
    """The directory's combination drug made of exactly each set of ingredient drugs."""
    wanted = {s for s in ingredient_sets if len(s) > 1}
    if not wanted:
        return {}
    members = set().union(*wanted)
    combos = select(DrugIngredient.drug_id).where(DrugIngredient.ingredient_id.in_(members))
    parts: dict[int, set[int]] = defaultdict(set)
    for drug_id, ingredient_id in db.session.execute(
        select(DrugIngredient.drug_id, DrugIngredient.ingredient_id).where(
            DrugIngredient.drug_id.in_(combos)
        )
    ):
        parts[drug_id].add(ingredient_id)
    matching = {frozenset(p): drug_id for drug_id, p in parts.items() if frozenset(p) in wanted}
    drugs = {
        d.id: d for d in db.session.scalars(select(Drug).where(Drug.id.in_(matching.values())))
    }
    return {ingredients: drugs[drug_id] for ingredients, drug_id in matching.items()}


def _link_drugs(matches: list[PillMatch]) -> None:
    """Each ingredient's drug, and the product's: its single ingredient's, or the combination."""
    by_key = _drugs_by_key(i.drug_key for m in matches for i in m.product.ingredients)
    sets: dict[int, frozenset[int]] = {}
    for match in matches:
        match.ingredient_drugs = [(i, by_key.get(i.drug_key)) for i in match.product.ingredients]
        found = [drug for _ingredient, drug in match.ingredient_drugs]
        if not found or any(drug is None for drug in found):
            continue
        ids = frozenset(drug.id for drug in found if drug is not None)
        if len(ids) == 1:
            match.drug = found[0]
        else:
            sets[match.pill.id] = ids
    combinations = _combinations(sets.values())
    for match in matches:
        if match.pill.id in sets:
            match.drug = combinations.get(sets[match.pill.id])


def pills_for_drug(drug: Drug, limit: int = DRUG_PILLS) -> list[PillMatch]:
    """The known pills of a drug (of its ingredients' names, for a combination)."""
    ingredients = select(DrugIngredient.ingredient_id).where(DrugIngredient.drug_id == drug.id)
    names = select(DrugName.key).where(
        or_(DrugName.drug_id == drug.id, DrugName.drug_id.in_(ingredients))
    )
    candidates = (
        select(Pill.id)
        .join(PillIngredient, PillIngredient.product_id == Pill.product_id)
        .join(PillProduct, PillProduct.id == Pill.product_id)
        .where(PillIngredient.drug_key.in_(names))
        .group_by(Pill.id, PillProduct.name, Pill.size_mm)
        .order_by(PillProduct.name, Pill.size_mm, Pill.id)
        .limit(limit * 4)
    )
    matches = matches_for(list(db.session.scalars(candidates)))
    return [m for m in matches if m.drug is not None and m.drug.id == drug.id][:limit]


def product_by_id(product_id: int) -> PillProduct:
    product = db.session.get(PillProduct, product_id)
    if product is None:
        raise NotFound()
    return product


def product_matches(product: PillProduct) -> list[PillMatch]:
    """The product's pills (one, in labels as they are), for its page."""
    return matches_for([pill.id for pill in product.pills])


def drug_for_product(product: PillProduct) -> Drug | None:
    matches = product_matches(product)
    return matches[0].drug if matches else None


def identifier_size() -> tuple[int, int]:
    """How many pills, from how many labels, the identifier knows."""
    pills = db.session.scalar(select(func.count(Pill.id))) or 0
    labels = db.session.scalar(select(func.count(distinct(PillProduct.set_id)))) or 0
    return pills, labels
