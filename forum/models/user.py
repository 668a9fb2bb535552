"""Accounts: a public pseudonym, a private e-mail, a password hash, a role and a profile."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base
from forum.models.columns import IntPK, Timestamp, enum_type


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    EDITOR = "editor"
    ADMIN = "admin"


class Visibility(enum.StrEnum):
    """Who may read a profile field."""

    PUBLIC = "public"
    MEMBERS = "members"
    NOBODY = "nobody"


def _visibility_column() -> Mapped[Visibility]:
    return mapped_column(
        enum_type(Visibility), default=Visibility.NOBODY, server_default=Visibility.NOBODY.value
    )


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(String(30))
    # Lower-cased name: pseudonyms are unique ignoring case.
    name_key: Mapped[str] = mapped_column(String(30), unique=True)
    # Normalized (validated, lower-cased) and never shown to other users.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.MEMBER)
    created_at: Mapped[Timestamp]
    last_seen_at: Mapped[datetime | None]
    # Bumped on logout, password change or ban: every older session and cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    is_banned: Mapped[bool] = mapped_column(default=False)
    # A suspended member reads but cannot post, vote or report until then.
    suspended_until: Mapped[datetime | None]
    post_count: Mapped[int] = mapped_column(default=0)
    # Explicit consent to processing shared health information; without it: read only.
    health_consent_at: Mapped[datetime | None]
    health_consent_version: Mapped[str | None] = mapped_column(String(20))
    # Optional plain-text profile fields, each hidden from everyone unless chosen otherwise.
    about: Mapped[str] = mapped_column(Text, default="", server_default="")
    about_visibility: Mapped[Visibility] = _visibility_column()
    conditions: Mapped[str] = mapped_column(String(300), default="", server_default="")
    conditions_visibility: Mapped[Visibility] = _visibility_column()
    location: Mapped[str] = mapped_column(String(100), default="", server_default="")
    location_visibility: Mapped[Visibility] = _visibility_column()
    # Set when the member deleted the account: the row stays, erased, for references.
    deleted_at: Mapped[datetime | None]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def get_id(self) -> str:
        """Flask-Login's id carries the session version, so bumping it logs out everywhere."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"


# Whoever is looking at a page: a member's account or Flask-Login's anonymous
# visitor. Policies take a Viewer and narrow it with isinstance(viewer, User).
Viewer = User | AnonymousUserMixin
