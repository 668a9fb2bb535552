"""Visitors' page cache under load, 304 revalidation, and how fast a change reaches another app.

Two parts, each usable from `bench.run`:

- `load_rows(folder, manifest, secret, duration, connections)` serves the forum with the page
  cache on (gunicorn, like the other load rows) and returns rows for `pages`: the visitor's
  thread page with 50 replies from the cache, and its 304 revalidation (If-None-Match).
  `loadrun.run_load` then gives them their `ratio` to the 50-row ceiling like every page.
- `propagation(folder, secret, redis_url)` builds a tiny data set of its own, makes two apps
  (one database, one Redis, an index folder each) and times, for each of ROUNDS changes
  committed in the first (a thread renamed), how long from the start of that commit until
  the second's next request drops its cached copy (`invalidated`: the change has reached
  its cache), and until it has served the changed page (`fresh_page`: one render more).

`python -m bench.page_cache --size quick` runs both on a data set `make bench` already built
(instance/bench/SIZE); the Redis figures need FORUM_BENCH_REDIS_URL (a db of its own: the
run deletes its keys afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import update

from bench import load, loader
from bench.dataset import SIZES
from bench.settings import forum_environment, make_app
from forum import cache
from forum.extensions import db
from forum.models import Thread

ROUNDS = 50
POLL_TIMEOUT = 2.0
CACHE_SETTINGS = {"PAGE_CACHE_SECONDS": 300}


def _thread_path(manifest: dict[str, Any]) -> str:
    return f"/threads/{manifest['medium_thread_id']}"


def _etag(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        response.read()
        etag: str = response.headers["ETag"]
        if response.headers.get("X-Page-Cache") not in ("hit", "miss"):
            raise RuntimeError(f"{url} is not served by the page cache")
        return etag


def _wrk_with_header(url: str, header: str, duration: float, connections: int) -> load.WrkResult:
    """load.wrk with one request header (wrk's -H)."""
    command = [
        "wrk", "--threads", str(min(2, connections)), "--connections", str(connections),
        "--duration", f"{duration:g}s", "--timeout", "10s", "--latency", "-H", header, url,
    ]  # fmt: skip
    output = subprocess.run(  # noqa: S603
        command, check=True, capture_output=True, text=True, timeout=duration + 60
    ).stdout
    return load.parse_wrk(output)


def load_rows(
    folder: Path, manifest: dict[str, Any], secret: str, duration: float, connections: int
) -> dict[str, dict[str, Any]]:
    """`thread_50_cached` and `thread_50_304`, as rows of the load table (without ratio)."""
    env = forum_environment(folder, secret)
    env.update({f"FORUM_{key}": json.dumps(value) for key, value in CACHE_SETTINGS.items()})
    path = _thread_path(manifest)
    rows: dict[str, dict[str, Any]] = {}
    log = folder / "gunicorn-page-cache.log"
    with load.serve("wsgi:app", env, log, ready_path="/healthz") as server:
        load.warm_up(server.base_url, [path])
        etag = _etag(server.base_url + path)
        print("bench: load on the visitor's cached thread page", flush=True)
        rows["thread_50_cached"] = server.wrk(path, duration, connections).as_dict()
        print("bench: load on 304 revalidation of the thread page", flush=True)
        before = server.worker_cpu_seconds()
        result = _wrk_with_header(
            server.base_url + path, f"If-None-Match: {etag}", duration, connections
        )
        used = server.worker_cpu_seconds() - before
        result = replace(result, cpu_ms=1000 * used / max(result.requests, 1))
        rows["thread_50_304"] = result.as_dict()
    return rows


def _two_apps(folder: Path, secret: str, redis_url: str, prefix: str) -> tuple[Flask, Flask]:
    shared = {**CACHE_SETTINGS, "REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
    first = make_app(folder, secret, SEARCH_DIR=str(folder / "first-index"), **shared)
    second = make_app(folder, secret, SEARCH_DIR=str(folder / "second-index"), **shared)
    return first, second


def _rename(app: Flask, thread_id: int, title: str) -> None:
    with app.app_context():
        db.session.execute(update(Thread).where(Thread.id == thread_id).values(title=title))
        db.session.commit()


def _version(app: Flask) -> int | None:
    """The shared content version as the app reads it at the start of a request."""
    version = cache.content_version(app)
    assert version is not None
    with app.app_context():
        return version.read()[0]


def _wait_until_invalidated(app: Flask, before: int | None) -> None:
    """Polling without pause: until the app's next request would drop its stale copy."""
    started = time.perf_counter()
    while time.perf_counter() - started < POLL_TIMEOUT:
        if _version(app) != before:
            return
    raise RuntimeError(f"the change did not reach the other app within {POLL_TIMEOUT} s")


def _percentiles(seconds: list[float]) -> dict[str, float]:
    times_ms = sorted(1000 * t for t in seconds)
    return {
        "p50_ms": round(statistics.median(times_ms), 2),
        "p99_ms": round(times_ms[min(len(times_ms) - 1, int(0.99 * len(times_ms)))], 2),
        "max_ms": round(times_ms[-1], 2),
    }


def propagation(folder: Path, secret: str, redis_url: str) -> dict[str, Any]:
    """From a commit in one app: until the other drops its cached page, and until it serves
    the changed page (that adds one render of the page)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("forum.db*"):
        stale.unlink()
    builder = make_app(folder, secret, PAGE_CACHE_SECONDS=0)
    manifest = loader.build(builder, SIZES["tiny"], progress=lambda _m: None).manifest
    prefix = f"bench-page-cache-{uuid.uuid4().hex}"
    first, second = _two_apps(folder, secret, redis_url, prefix)
    thread_id, path = manifest["medium_thread_id"], _thread_path(manifest)
    client = second.test_client()
    invalidated: list[float] = []
    fresh: list[float] = []
    try:
        for number in range(ROUNDS):
            client.get(path)  # the page is cached in the second app
            before = _version(second)
            started = time.perf_counter()
            _rename(first, thread_id, f"Changed title number {number}")
            _wait_until_invalidated(second, before)
            invalidated.append(time.perf_counter() - started)
            page = client.get(path)
            fresh.append(time.perf_counter() - started)
            if f"Changed title number {number}" not in page.get_data(as_text=True):
                raise RuntimeError("the other app served a stale page")
    finally:
        _forget(redis_url, prefix)
    return {
        "rounds": ROUNDS,
        "invalidated": _percentiles(invalidated),
        "fresh_page": _percentiles(fresh),
    }


def _forget(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("full", "quick", "tiny"), default="quick")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args(argv)
    folder = Path(__file__).resolve().parent.parent / "instance" / "bench" / args.size
    manifest_file = folder / "manifest.json"
    if not manifest_file.exists():
        print(f"no data set in {folder}: run `make bench` first", file=sys.stderr)
        return 1
    secret = secrets.token_hex(32)
    results: dict[str, Any] = {}
    manifest = json.loads(manifest_file.read_text())
    results["load"] = load_rows(folder, manifest, secret, args.duration, args.connections)
    redis_url = os.environ.get("FORUM_BENCH_REDIS_URL")
    if redis_url:
        print("bench: a change in one app reaching the other's page cache", flush=True)
        results["propagation"] = propagation(folder / "page-cache", secret, redis_url)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
