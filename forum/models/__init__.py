"""The nouns of the forum, one module each."""

from forum.models.base import Base, utcnow
from forum.models.user import Role, User

__all__ = ["Base", "Role", "User", "utcnow"]
