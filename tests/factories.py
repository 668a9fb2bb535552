"""Typed builders for test data, with valid defaults."""

from __future__ import annotations

import itertools
from typing import Any

from forum.auth.passwords import hash_password
from forum.extensions import db
from forum.models import Role, User

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(**overrides: Any) -> User:
    """A saved member account whose password is PASSWORD."""
    number = next(_counter)
    name = overrides.pop("name", f"member{number}")
    password = overrides.pop("password", PASSWORD)
    values: dict[str, Any] = {
        "name": name,
        "name_key": name.lower(),
        "email": f"{name.lower()}@example.org",
        "password_hash": hash_password(password),
        "role": Role.MEMBER,
    }
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.commit()
    return user
