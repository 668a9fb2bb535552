"""Per-process caches of drug reference data (names to link), refreshed after an import."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
# Other processes see a new import within this many seconds.
MAX_AGE = 600.0
_KEY = "forum_drugs"


def cached(name: str, build: Callable[[], T]) -> T:
    """The app's cached value of `name`, built again when missing or older than MAX_AGE."""
    store: dict[str, tuple[float, Any]] = current_app.extensions.setdefault(_KEY, {})
    found = store.get(name)
    now = time.monotonic()
    if found is None or now - found[0] > MAX_AGE:
        found = (now, build())
        store[name] = found
    value: T = found[1]
    return value


def forget() -> None:
    """Drop every cached value of this app (after `flask import drugs`)."""
    current_app.extensions.pop(_KEY, None)
