"""The whole benchmark: `python -m bench.run --size full|quick` (what `make bench` runs).

Builds the data set in instance/bench/<size>, the index with `flask search rebuild`, counts
SQL statements on a small and the large data set, times the search engines outside HTTP,
times the outbox write of a reply and how soon a reply is searchable (in-process), then
serves the ceilings and the forum with gunicorn and drives them with wrk.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import (
    indexing,
    inputs,
    loader,
    queries,
    report,
    search_latency,
    search_long_queries,
    statements,
    vocabulary,
)
from bench import notifications as notification_bench
from bench import page_cache as page_cache_bench
from bench import pills as pill_bench
from bench.dataset import SIZES
from bench.settings import forum_environment, make_app
from forum.search import maintenance

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "instance" / "bench"


def step(name: str) -> None:
    print(f"bench: {name}", flush=True)


def build_data_set(folder: Path, size_name: str, secret: str) -> tuple[dict[str, Any], float]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    result = loader.build(make_app(folder, secret), SIZES[size_name], progress=lambda m: step(m))
    seconds = time.perf_counter() - started
    (folder / "manifest.json").write_text(json.dumps(result.manifest, indent=2))
    return result.manifest, seconds


def rebuild_index(folder: Path, secret: str) -> dict[str, float]:
    """`flask search rebuild`, as an operator runs it; its own summary gives the rate."""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", "search", "rebuild"],
        cwd=ROOT, env={**os.environ, **forum_environment(folder, secret)},
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    seconds = time.perf_counter() - started
    found = re.search(r"indexed (\d+) documents in ([\d.]+) s \((\d+)/s\)", output)
    if found is None:
        raise RuntimeError(f"unexpected rebuild output: {output}")
    return {"rebuild_s": round(seconds, 1), "rebuild_documents": int(found[1]),
            "rebuild_docs_per_s": int(found[3])}  # fmt: skip


def size_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    if path.is_file():
        return round(path.stat().st_size / 2**20, 1)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def statement_counts(folder: Path, manifest: dict[str, Any], secret: str) -> dict[str, Any]:
    """The same pages on a tiny data set and on this one: the counts must be equal."""
    small = folder / "small"
    small.mkdir()
    # Without the page cache: the statements a page needs when it computes everything.
    small_app = make_app(small, secret, CACHE_SECONDS=0)
    small_manifest = loader.build(small_app, SIZES["tiny"], progress=lambda _m: None).manifest
    with small_app.app_context():
        maintenance.rebuild()
    large = make_app(folder, secret, CACHE_SECONDS=0)
    return {
        "small": statements.count_statements(small_app, statements.page_paths(small_manifest)),
        "large": statements.count_statements(large, statements.page_paths(manifest)),
        "small_posts": small_manifest["rows"]["post"],
        "large_posts": manifest["rows"]["post"],
    }


def search_args(manifest: dict[str, Any]) -> list[dict[str, str]]:
    # The 200 short queries and 50 long consumer messages from MeQSum, pasted whole.
    return [
        *queries.search_args(manifest["topic_slugs"], manifest["public_community_slugs"]),
        *search_long_queries.search_args(),
    ]


def search_figures(
    folder: Path, manifest: dict[str, Any], secret: str
) -> tuple[dict[str, Any], dict[str, float]]:
    app = make_app(folder, secret)
    engine_queries = search_latency.build_queries(app, search_args(manifest))
    results: dict[str, Any] = {
        "whoosh": search_latency.engine_latency(app, engine_queries).as_dict(),
        "whoosh_hot": search_latency.engine_latency(app, engine_queries, hot_cache=True).as_dict(),
    }
    started = time.perf_counter()
    docs = search_latency.collect_documents(app)
    build: dict[str, float] = {
        "documents_per_s": round(len(docs) / (time.perf_counter() - started))
    }
    _seconds, rate = search_latency.bare_whoosh_rate(docs, folder / "bare-whoosh")
    build["bare_whoosh_docs_per_s"] = round(rate)
    baseline = search_latency.Fts5Baseline(folder / "fts5.db")
    build["fts5_build_s"] = round(baseline.build(docs), 1)
    results["fts5"] = search_latency.measure(baseline.search, engine_queries).as_dict()
    baseline.close()
    postgres_url = os.environ.get("FORUM_BENCH_POSTGRES_URL")
    if postgres_url:
        from bench.postgres import postgres_latency

        results["postgres"] = postgres_latency(
            postgres_url, manifest, search_args(manifest), secret
        )
    return results, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("full", "quick", "tiny"), default="quick")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn and wrk")
    args = parser.parse_args(argv)
    return inputs.exit_on_missing_input(lambda: run(args))


def run(args: argparse.Namespace) -> int:
    # The vocabulary first: a missing input stops the run before anything is changed.
    vocabulary.load()
    # The app logs each search at INFO; the benchmark's own output stays readable.
    logging.getLogger("forum").setLevel(logging.WARNING)
    started = time.perf_counter()
    secret = secrets.token_hex(32)
    folder = WORK / args.size
    step(f"building the {args.size} data set in {folder}")
    manifest, load_seconds = build_data_set(folder, args.size, secret)
    step(f"built in {load_seconds:.1f} s; indexing with `flask search rebuild`")
    build = {"load_s": round(load_seconds, 1), **rebuild_index(folder, secret)}
    step(f"indexed in {build['rebuild_s']} s ({build['rebuild_docs_per_s']} docs/s)")
    results: dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": report.machine(),
        "versions": report.versions(),
        "dataset": {"size": args.size, "seed": manifest["seed"], "rows": manifest["rows"]},
        "disk": {
            "database_mb": size_mb(folder / "forum.db") + size_mb(folder / "forum.db-wal"),
            "index_mb": size_mb(folder / "search-index"),
        },
    }
    step("counting SQL statements per page on a small and on this data set")
    results["statements"] = statement_counts(folder, manifest, secret)
    step("timing the search engines outside HTTP")
    results["search"], more = search_figures(folder, manifest, secret)
    results["build"] = {**build, **more}
    step("timing the outbox write of a reply and how soon a reply is searchable")
    results["indexing"] = indexing.indexing_figures(folder, manifest, secret)
    step("timing the pill identifier's imprint search on generated products")
    (folder / "pills").mkdir(exist_ok=True)
    products = {"full": 100_000, "quick": 10_000}.get(args.size, 2_000)
    results["pills"] = pill_bench.measure(folder / "pills", products=products)
    step("timing notification rows for a reply to 1,000 followers and a digest run")
    (folder / "notifications").mkdir(exist_ok=True)
    members = {"full": 10_000, "quick": 10_000}.get(args.size, 300)
    followers = {"full": 1_000, "quick": 1_000}.get(args.size, 50)
    results["notifications"] = notification_bench.measure(
        folder / "notifications", followers=followers, members=members
    )
    if redis_url := os.environ.get("FORUM_BENCH_REDIS_URL"):
        step("timing how soon a commit in one process drops another's cached page (Redis)")
        (folder / "page-cache").mkdir(exist_ok=True)
        results["page_cache"] = page_cache_bench.propagation(
            folder / "page-cache", secret, redis_url
        )
    if not args.no_load:
        from bench.loadrun import run_load

        results["load"], results["memory"] = run_load(
            folder, manifest, secret, args, search_args(manifest)
        )
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["figures"] = report.figures(results)
    path = report.write(results, folder if args.size == "tiny" else report.RESULTS)
    if args.size == "full" and report.update_readme(results):
        step("the README's benchmark table is updated")
    print()
    print(report.markdown(results))
    latest = path.with_name("latest.json")
    step(f"results in {path.relative_to(ROOT)} and {latest.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
