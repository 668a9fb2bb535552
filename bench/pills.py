"""The pill identifier's imprint search over 100,000 generated products: `python -m bench.pills`.

The products are generated only for this measure (seeded, in a temporary database that is
deleted afterwards): they are never shown anywhere. Each query runs the identifier's own
search (`forum.pills.queries.search_pills`: the ids, then the pills, products, ingredients
and drug links of the first page), and the `/pills` page in-process for the whole request.
Target: search p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import string
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import insert, text

from forum import create_app
from forum.extensions import db
from forum.models import Pill, PillImprintToken, PillIngredient, PillProduct
from forum.pills import imprints, vocabulary
from forum.pills.queries import PillSearch, search_pills

SEED = 19
PRODUCTS = 100_000
QUERIES = 400
BATCH = 5_000
TARGET_P95_MS = 20.0
INGREDIENTS = ("atorvastatin", "sildenafil", "metformin", "lisinopril", "amlodipine",
               "sertraline", "ibuprofen", "omeprazole", "levothyroxine", "gabapentin")  # fmt: skip


def _imprint(rng: random.Random, codes: Sequence[str]) -> str:
    """An imprint shaped like real ones: "TV;2203", "54 411", "M;30", "IP 204;10", "L484"."""
    number = str(rng.randint(1, 9999))
    kind = rng.random()
    if kind < 0.35:
        return f"{rng.choice(codes)};{number}"
    if kind < 0.55:
        return f"{rng.choice(codes)} {number};{rng.choice((5, 10, 20, 25, 40, 50, 100))}"
    if kind < 0.75:
        return f"{rng.randint(1, 99)} {number}"
    if kind < 0.9:
        return f"{rng.choice(codes)}{number}"
    return f"{rng.choice(codes)}{number};{rng.choice(codes)}"


def _rows(count: int, rng: random.Random) -> Iterator[tuple[dict[str, Any], ...]]:
    codes = ["".join(rng.choices(string.ascii_uppercase, k=rng.randint(1, 4))) for _ in range(600)]
    colors, shapes = vocabulary.color_keys(), vocabulary.shape_keys()
    for number in range(1, count + 1):
        imprint = _imprint(rng, codes)
        ingredient = rng.choice(INGREDIENTS)
        strength = f"{rng.choice((5, 10, 20, 25, 50, 100, 250, 500))} mg"
        product = {"id": number, "set_id": f"bench-{number // 3}", "version": 1,
                   "ndc": f"{number:05d}-{rng.randint(1, 999):03d}", "package_ndcs": "",
                   "name": f"Bench product {number}", "generic_name": ingredient, "form": "TABLET",
                   "labeler": "Generated for the benchmark"}  # fmt: skip
        pill = {"id": number, "product_id": number, "imprint": imprint,
                "imprint_key": imprints.imprint_key(imprint), "color": rng.choice(colors),
                "second_color": rng.choice(colors) if rng.random() < 0.1 else None,
                "shape": rng.choice(shapes), "size_mm": float(rng.randint(4, 22)),
                "score": rng.choice((1, 1, 1, 2, 4))}  # fmt: skip
        part = {"product_id": number, "position": 0, "substance": ingredient.upper(),
                "moiety": ingredient.upper(), "strength": strength,
                "drug_key": ingredient}  # fmt: skip
        yield product, pill, part


def load(count: int, rng: random.Random) -> list[str]:
    """Insert the generated products in batches; returns their imprints."""
    found: list[str] = []
    batch: list[tuple[dict[str, Any], ...]] = []

    def flush() -> None:
        db.session.execute(insert(PillProduct), [row[0] for row in batch])
        db.session.execute(insert(Pill), [row[1] for row in batch])
        db.session.execute(insert(PillIngredient), [row[2] for row in batch])
        tokens = [{"token": token, "pill_id": row[1]["id"]}
                  for row in batch for token in imprints.tokens(row[1]["imprint"])]  # fmt: skip
        db.session.execute(insert(PillImprintToken), tokens)
        db.session.commit()
        batch.clear()

    for row in _rows(count, rng):
        batch.append(row)
        found.append(row[1]["imprint"])
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    return found


def _confused(text: str) -> str:
    return text.replace("0", "O").replace("1", "l")


def typed_searches(imprints_: Sequence[str], count: int, rng: random.Random) -> list[PillSearch]:
    """What people type: whole imprints, one side, a start, confusions, made-up ones, colors."""
    searches = []
    colors = vocabulary.color_keys()
    for number in range(count):
        raw = rng.choice(imprints_)
        parts = imprints.display(raw).split()
        kind = number % 8
        if kind == 0:
            typed = imprints.display(raw).lower()
        elif kind == 1:
            typed = "".join(parts)
        elif kind == 2:
            typed = parts[0]
        elif kind == 3:
            typed = "".join(parts)[:3]
        elif kind == 4:
            typed = _confused(imprints.display(raw))
        elif kind == 5:
            typed = "Q" + "".join(rng.choices("XZQ", k=3)) + str(rng.randint(10, 99))
        else:
            typed = parts[-1]
        color = rng.choice(colors) if kind in (6, 7) else ""
        searches.append(PillSearch(imprint=typed, colors=(color,) if color else ()))
    return searches


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(run: Callable[[PillSearch], int], searches: Sequence[PillSearch]) -> dict[str, float]:
    """One warm-up pass, then two timed passes over every search."""
    for search in searches:
        run(search)
    samples, with_hits = [], 0
    for _ in range(2):
        for search in searches:
            started = time.perf_counter()
            with_hits += bool(run(search))
            samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(percentile(samples, 0.5), 3),
        "p95_ms": round(percentile(samples, 0.95), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "searches": len(searches),
        "with_results": with_hits // 2,
    }


def measure(folder: Path, products: int = PRODUCTS, queries: int = QUERIES) -> dict[str, Any]:
    """Build the generated identifier in `folder` and time imprint searches on it."""
    app = create_app({"ENV": "production", "SECRET_KEY": secrets.token_hex(16),
                      "DATABASE_URL": f"sqlite:///{folder / 'pills.db'}",
                      "SEARCH_DIR": str(folder / "search-index"),
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    rng = random.Random(SEED)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generated = load(products, rng)
        load_s = time.perf_counter() - started
        db.session.execute(text("ANALYZE"))
        searches = typed_searches(generated, queries, rng)

        def search(query: PillSearch) -> int:
            db.session.expire_all()
            return search_pills(query).total

        service = timed(search, searches)
        client = app.test_client()

        def page(query: PillSearch) -> int:
            args = {"imprint": query.imprint, "color": query.colors[0] if query.colors else ""}
            response = client.get(f"/pills?{urlencode(args)}")
            assert response.status_code == 200, response.status_code
            return int("pill-card" in response.get_data(as_text=True))

        whole_page = timed(page, searches[: queries // 2])
        db.session.remove()
        db.engine.dispose()
    return {
        "products": products,
        "load_s": round(load_s, 1),
        "search": service,
        "page": whole_page,
        "target_p95_ms": TARGET_P95_MS,
        "met": service["p95_ms"] < TARGET_P95_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=PRODUCTS)
    parser.add_argument("--queries", type=int, default=QUERIES)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-pills-") as folder:
        figures = measure(Path(folder), args.products, args.queries)
    print(json.dumps(figures, indent=2))
    search = figures["search"]
    print(f"Pill identifier: imprint search over {figures['products']:,} products: "
          f"p95 {search['p95_ms']} ms (target < {TARGET_P95_MS:g} ms: "
          f"{'met' if figures['met'] else 'NOT met'})")  # fmt: skip
    return 0 if figures["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
