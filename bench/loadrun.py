"""The load runs of one benchmark: two ceiling apps, then every forum page, then replies."""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench import load, queries, statements, vocabulary
from bench.ceiling import rows
from bench.settings import forum_environment

POSTERS = 4
DRAIN_TIMEOUT = 120.0


def _ceiling(folder: Path, name: str, duration: float, connections: int) -> dict[str, Any]:
    """One ceiling app under the same gunicorn settings as the forum."""
    env: dict[str, str] = {}
    if name == "rows50":
        database = folder / "ceiling.db"
        if not database.exists():
            rows.create_database(database, vocabulary.load().titles)
        env["BENCH_CEILING_DATABASE"] = str(database)
    module = "bench.ceiling.hello:app" if name == "hello" else "bench.ceiling.rows:app"
    with load.serve(module, env, folder / "gunicorn-ceiling.log") as server:
        load.warm_up(server.base_url, ["/"])
        return server.wrk("/", duration, connections).as_dict()


def _mean_ceiling(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The 50-row ceiling measured before and after the forum: the mean evens out drift."""
    keys = ("requests_per_s", "p50_ms", "p99_ms", "cpu_ms")
    mean = {key: (before[key] + after[key]) / 2 for key in keys}
    mean.update(
        requests=before["requests"] + after["requests"],
        errors=before["errors"] + after["errors"],
        before_requests_per_s=before["requests_per_s"],
        after_requests_per_s=after["requests_per_s"],
    )
    return mean


def _scalar(database: Path, sql: str) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        value: int = connection.execute(sql).fetchone()[0]
    connection.close()
    return value


def _reply_run(
    server: load.Server,
    folder: Path,
    manifest: dict[str, Any],
    duration: float,
    drained: bool = True,
) -> tuple[dict[str, Any], float | None]:
    """4 members post distinct replies at once; then the time until the outbox is empty."""
    thread_path = f"/threads/{manifest['reply_thread_ids'][0]}"
    credentials = [
        load.login(server.base_url, name, manifest["password"], thread_path)
        for name in manifest["posters"][:POSTERS]
    ]
    credentials_file = folder / "posters.tsv"
    credentials_file.write_text("".join(f"{cookie}\t{token}\n" for cookie, token in credentials))
    ids = ",".join(str(i) for i in manifest["reply_thread_ids"])
    database = folder / "forum.db"
    before = _scalar(database, "SELECT count(*) FROM post")
    result = server.wrk(
        "/", duration, POSTERS, threads=POSTERS, script="reply.lua",
        script_args=[str(credentials_file), ids, str(int(time.time()))],
    ).as_dict()  # fmt: skip
    ended = time.perf_counter()
    result["saved"] = _scalar(database, "SELECT count(*) FROM post") - before
    drain: float | None = None
    while drained and time.perf_counter() - ended < DRAIN_TIMEOUT:
        if _scalar(database, "SELECT count(*) FROM search_outbox") == 0:
            drain = round(time.perf_counter() - ended, 2)
            break
        time.sleep(0.1)
    credentials_file.unlink()
    return result, drain


def _forum_pages(
    server: load.Server, folder: Path, manifest: dict[str, Any], args: argparse.Namespace,
    search_args: list[dict[str, str]],
) -> dict[str, dict[str, Any]]:  # fmt: skip
    search_file = folder / "search-paths.txt"
    search_paths = queries.search_paths(search_args)
    search_file.write_text("\n".join(search_paths) + "\n")
    pages: dict[str, dict[str, Any]] = {}
    for name, path in statements.page_paths(manifest).items():
        print(f"bench: load on {name}", flush=True)
        if name == "search":
            load.warm_up(server.base_url, search_paths[:20], rounds=1)
            result = server.wrk(
                "/", args.duration, args.connections,
                script="rotate.lua", script_args=[str(search_file)],
            )  # fmt: skip
        else:
            load.warm_up(server.base_url, [path])
            result = server.wrk(path, args.duration, args.connections)
        pages[name] = result.as_dict()
    return pages


def run_load(
    folder: Path,
    manifest: dict[str, Any],
    secret: str,
    args: argparse.Namespace,
    search_args: list[dict[str, str]],
) -> tuple[dict[str, Any], dict[str, float]]:
    """Every load figure of the run, and the forum workers' peak memory."""
    duration, connections = args.duration, args.connections
    print("bench: load on the ceiling apps", flush=True)
    hello = _ceiling(folder, "hello", duration, connections)
    rows_before = _ceiling(folder, "rows50", duration, connections)
    load_before = os.getloadavg()[0]
    env = forum_environment(folder, secret)
    with load.serve("wsgi:app", env, folder / "gunicorn.log", ready_path="/healthz") as server:
        pages = _forum_pages(server, folder, manifest, args, search_args)
        print("bench: load on posting replies", flush=True)
        pages["reply"], drain = _reply_run(server, folder, manifest, duration)
        memory = {"worker_peak_rss_mb": round(server.worker_peak_rss_mb(), 1)}
    # Visitors' thread page from the page cache, and its 304 revalidation (their own server).
    from bench import page_cache

    pages.update(page_cache.load_rows(folder, manifest, secret, duration, connections))
    load_after = os.getloadavg()[0]
    # Diagnosis: the same posting with the index drain left to a worker (SEARCH_DRAIN=off).
    print("bench: load on posting replies without the index drain", flush=True)
    env["FORUM_SEARCH_DRAIN"] = "off"
    with load.serve("wsgi:app", env, folder / "gunicorn.log", ready_path="/healthz") as server:
        pages["reply_without_drain"], _ = _reply_run(server, folder, manifest, duration, False)
    print("bench: load on the 50-row ceiling again", flush=True)
    rows_after = _ceiling(folder, "rows50", duration, connections)
    ceilings = {"hello": hello, "rows50": _mean_ceiling(rows_before, rows_after)}
    ceiling = ceilings["rows50"]["requests_per_s"]
    ceiling_cpu = ceilings["rows50"]["cpu_ms"]
    for result in [*ceilings.values(), *pages.values()]:
        result["ratio"] = result["requests_per_s"] / ceiling
        result["cpu_ratio"] = ceiling_cpu / result["cpu_ms"] if result["cpu_ms"] else 0.0
    settings = {
        "workers": load.WORKERS,
        "duration_s": duration,
        "connections": connections,
        "reply_connections": POSTERS,
        # Other work on the machine shows here (2 cores: above 2 means waiting for a CPU).
        "load_average_before": round(load_before, 2),
        "load_average_after": round(load_after, 2),
    }
    return {"settings": settings, "ceilings": ceilings, "pages": pages, "drain_s": drain}, memory
