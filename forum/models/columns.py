"""Column declarations the models share, so each convention is written once."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import Column, Enum, ForeignKey, Table
from sqlalchemy.orm import MappedColumn, mapped_column

from forum.models.base import Base, utcnow

# Used as `id: Mapped[IntPK]`; add `= mapped_column(...)` for more (SQLAlchemy merges the two).
IntPK = Annotated[int, mapped_column(primary_key=True)]
# A required time, "now" (naive UTC) when the row is written unless given.
Timestamp = Annotated[datetime, mapped_column(default=utcnow)]
# An optional member (author, editor, moderator, recipient): if the account row is ever
# deleted, the rows that name it stay and lose the link.
UserRef = Annotated[int | None, mapped_column(ForeignKey("user.id", ondelete="SET NULL"))]


def parent_key(target: str, **kwargs: Any) -> MappedColumn[Any]:
    """A reference to the row this one belongs to, and is deleted with."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), **kwargs)


def enum_type(kind: type[enum.Enum], length: int = 20) -> Enum:
    """A Python enum stored as its values in a plain string column (no database enum type)."""
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def association_table(
    name: str, left: tuple[str, str], right: tuple[str, str], *, index_right: bool = True
) -> Table:
    """A many-to-many table of two (column, target) keys, each row deleted with either side.

    The primary key serves lookups by the left key; `index_right` adds one for the right key.
    """
    (left_column, left_target), (right_column, right_target) = left, right
    return Table(
        name,
        Base.metadata,
        Column(left_column, ForeignKey(left_target, ondelete="CASCADE"), primary_key=True),
        Column(
            right_column,
            ForeignKey(right_target, ondelete="CASCADE"),
            primary_key=True,
            index=index_right,
        ),
    )
