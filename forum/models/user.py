"""Accounts: a public pseudonym, a private e-mail, a password hash and a role."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base, utcnow


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    EDITOR = "editor"
    ADMIN = "admin"


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    # Lower-cased name: pseudonyms are unique ignoring case.
    name_key: Mapped[str] = mapped_column(String(30), unique=True)
    # Normalized (validated, lower-cased) and never shown to other users.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.MEMBER,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    # Bumped on logout, password change or ban: every older session and cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    is_banned: Mapped[bool] = mapped_column(default=False)
    post_count: Mapped[int] = mapped_column(default=0)

    def get_id(self) -> str:
        """Flask-Login's id carries the session version, so bumping it logs out everywhere."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"
