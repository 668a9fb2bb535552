"""Measure the drug directory's figures on the real data (a maintainer's check, not a test):

    python -m tools.bench_drugs [--runs 500]

imports the shipped data into a temporary SQLite database, then reports the import time,
the p95 of autocomplete over prefixes of all names and synonyms (service call and HTTP
endpoint), and the p95 of an interaction check over 20 medicines. Targets: autocomplete
under 30 ms, interaction check under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import select

from forum import create_app
from forum.drugs.importer import import_drugs
from forum.drugs.interactions import Medicine, check_interactions
from forum.drugs.queries import autocomplete
from forum.extensions import db
from forum.models import Drug, DrugName

AUTOCOMPLETE_TARGET_MS = 30.0
CHECK_TARGET_MS = 50.0
AUTOCOMPLETE_URL = "/drugs/autocomplete"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def run(runs: int, seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "ENV": "testing",
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
                "SEARCH_DIR": str(Path(folder) / "index"),
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            import_drugs()
            figures = {"import_s": time.perf_counter() - started}
            names = list(db.session.scalars(select(DrugName.key)))
            prefixes = [
                name[: rng.randint(2, min(8, len(name)))]
                for name in rng.sample(names, runs)
                if len(name) >= 2
            ]
            figures["autocomplete_p95_ms"] = p95(
                [timed(partial(autocomplete, p)) for p in prefixes]
            )
            client = app.test_client()
            figures["autocomplete_http_p95_ms"] = p95(
                [
                    timed(partial(client.get, AUTOCOMPLETE_URL, query_string={"q": p}))
                    for p in prefixes
                ]
            )
            covered = list(db.session.scalars(select(Drug).where(Drug.has_interaction_data)))
            samples = []
            for _ in range(runs // 5):
                medicines = [Medicine(d.name, d) for d in rng.sample(covered, 20)]
                samples.append(timed(partial(check_interactions, medicines)))
            figures["check_20_p95_ms"] = p95(samples)
            db.session.remove()
            db.engine.dispose()
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    figures = run(parser.parse_args(argv).runs)
    for name, value in figures.items():
        print(f"{name}: {value:.1f}")
    ok = (
        figures["autocomplete_p95_ms"] < AUTOCOMPLETE_TARGET_MS
        and figures["check_20_p95_ms"] < CHECK_TARGET_MS
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
