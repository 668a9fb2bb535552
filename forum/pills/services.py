"""The pill identifier's writes: store one label's pills, add a product to My Medicine."""

from __future__ import annotations

import enum

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Pill,
    PillImprintToken,
    PillIngredient,
    PillProduct,
    utcnow,
)
from forum.pills import imprints
from forum.pills.spl import Label, Product


class Outcome(enum.StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    OLDER = "older"
    NO_PILLS = "without pills"


def import_label(label: Label) -> Outcome:
    """Store a label's pills, or replace an older version of the label; one transaction.

    Products are matched by set id and product code, so a cabinet entry's product survives
    a newer version; a product the newer version no longer has is removed (the entry stays).
    """
    stored = list(db.session.scalars(select(PillProduct).where(PillProduct.set_id == label.set_id)))
    version = max((product.version for product in stored), default=None)
    if version is not None and version >= label.version:
        return Outcome.UNCHANGED if version == label.version else Outcome.OLDER
    wanted: dict[str, Product] = {}
    for item in label.pill_products:
        wanted.setdefault(item.ndc, item)
    if version is None and not wanted:
        return Outcome.NO_PILLS
    by_ndc = {product.ndc: product for product in stored}
    for product in stored:
        if product.ndc not in wanted:
            db.session.delete(product)
    kept = []
    for ndc, item in wanted.items():
        product = by_ndc.get(ndc) or PillProduct(set_id=label.set_id, ndc=ndc)
        _fill(product, label, item)
        db.session.add(product)
        kept.append(product)
    db.session.flush()
    db.session.add_all(
        PillImprintToken(token=token, pill_id=pill.id)
        for product in kept
        for pill in product.pills
        for token in imprints.tokens(pill.imprint)
    )
    db.session.commit()
    return Outcome.NEW if version is None else Outcome.UPDATED


def _fill(product: PillProduct, label: Label, item: Product) -> None:
    product.version = label.version
    product.labeler = label.labeler[:200]
    product.label_date = label.effective
    product.name = item.name or item.generic_name[:200] or "Unnamed product"
    product.generic_name = item.generic_name
    product.form = item.form
    product.package_ndcs = " ".join(item.package_ndcs)
    product.imported_at = utcnow()
    product.ingredients = [
        PillIngredient(
            position=position,
            substance=ingredient.substance,
            moiety=ingredient.moiety,
            strength=ingredient.strength,
            drug_key=ingredient.drug_key,
        )
        for position, ingredient in enumerate(item.ingredients)
    ]
    look = item.appearance
    assert look is not None
    product.pills = [
        Pill(
            imprint=look.imprint,
            imprint_key=imprints.imprint_key(look.imprint),
            color=look.colors[0] if look.colors else None,
            second_color=look.colors[1] if len(look.colors) > 1 else None,
            shape=look.shape,
            size_mm=look.size_mm,
            score=look.score,
        )
    ]
