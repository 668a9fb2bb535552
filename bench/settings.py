"""The forum's settings for a benchmark data set folder, in-process and for gunicorn."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from forum import create_app


def forum_settings(folder: Path) -> dict[str, Any]:
    """Production mode on the folder's database and index; no rate limits, no approval queue."""
    return {
        "ENV": "production",
        "DATABASE_URL": f"sqlite:///{folder / 'forum.db'}",
        "SEARCH_DIR": str(folder / "search-index"),
        "RATELIMIT_ENABLED": False,
        "NEW_ACCOUNT_HOURS": 0,
        "NEW_MEMBER_POSTS": 0,
        # Every row measures rendering; bench/page_cache.py turns the visitors' cache on itself.
        "PAGE_CACHE_SECONDS": 0,
    }


def make_app(folder: Path, secret: str, **extra: Any) -> Flask:
    return create_app({**forum_settings(folder), "SECRET_KEY": secret, **extra})


def forum_environment(folder: Path, secret: str) -> dict[str, str]:
    """The same settings as FORUM_* variables (values as JSON, as config.py reads them)."""
    env = {
        f"FORUM_{key}": value if isinstance(value, str) else json.dumps(value)
        for key, value in forum_settings(folder).items()
    }
    return {**env, "FORUM_SECRET_KEY": secret}
