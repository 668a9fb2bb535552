"""Personal API tokens: shown once, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, enum_type, parent_key
from forum.models.user import User


class TokenScope(enum.StrEnum):
    """read: GET requests only; write: reading and every action the member may take."""

    READ = "read"
    WRITE = "write"


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[IntPK]
    user_id: Mapped[int] = parent_key("user.id", index=True)
    name: Mapped[str] = mapped_column(String(60))
    scope: Mapped[TokenScope] = mapped_column(
        enum_type(TokenScope, length=10), default=TokenScope.READ
    )
    # sha256 hex digest of the whole token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, so its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[Timestamp]
    # Updated at most every few minutes, not on every request.
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
