"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 10
MAX_LENGTH = 256
# A list of 20,000 common passwords (from Django, BSD licence; see README).
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def _hasher() -> PasswordHasher:
    hasher = current_app.extensions.get("password_hasher")
    if hasher is None:
        if current_app.config["TESTING"]:
            # Still argon2id, with the cheapest parameters so tests stay fast.
            hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        else:
            hasher = PasswordHasher()
        current_app.extensions["password_hasher"] = hasher
    return hasher


def password_problem(password: str, name: str = "", email: str = "") -> str | None:
    """What is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in _common_passwords():
        return "This password is too common. Choose one that is harder to guess."
    if name and name.lower() in lowered:
        return "Do not use your public name in your password."
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return "Do not use your e-mail address in your password."
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def burn_time() -> None:
    """Spend what a verification costs, so unknown accounts take as long as known ones."""
    verify_password(_dummy_hash(), "not the password")


def _dummy_hash() -> str:
    dummy = current_app.extensions.get("password_dummy_hash")
    if dummy is None:
        dummy = hash_password("dummy password for timing")
        current_app.extensions["password_dummy_hash"] = dummy
    return str(dummy)
