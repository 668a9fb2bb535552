"""The PostgreSQL search backend, timed on the same data set and queries (FORUM_BENCH_POSTGRES_URL).

The database at that URL is emptied and refilled: give the benchmark a database of its own.
"""

from __future__ import annotations

import time
from typing import Any

from bench import loader, search_latency
from bench.dataset import SIZES
from forum import create_app
from forum.extensions import db
from forum.search import maintenance


def postgres_latency(
    url: str, manifest: dict[str, Any], args: list[dict[str, str]], secret: str
) -> dict[str, Any]:
    """Load the data set into PostgreSQL, rebuild its full-text index, time the queries."""
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": secret,
            "DATABASE_URL": url,
            "SEARCH_BACKEND": "postgres",
            "SEARCH_DRAIN": "off",
            "CACHE_SECONDS": 0,
        }
    )
    with app.app_context():
        db.drop_all()
        db.session.remove()
    started = time.perf_counter()
    loader.build(app, SIZES[manifest["size"]], seed=manifest["seed"], progress=lambda _m: None)
    load_seconds = time.perf_counter() - started
    with app.app_context():
        started = time.perf_counter()
        documents = maintenance.rebuild().documents
        rebuild_seconds = time.perf_counter() - started
        db.session.remove()
    queries = search_latency.build_queries(app, args)
    latency = search_latency.engine_latency(app, queries).as_dict()
    with app.app_context():
        db.engine.dispose()
    return {
        **latency,
        "load_s": round(load_seconds, 1),
        "rebuild_s": round(rebuild_seconds, 1),
        "rebuild_docs_per_s": round(documents / rebuild_seconds) if rebuild_seconds else 0,
    }
