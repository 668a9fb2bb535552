"""The results: the issue's figures checked, a Markdown table and latest.json."""

from __future__ import annotations

import json
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
# Page: (what it is, the least share of the 50-row ceiling's requests/s it must reach).
PAGES = {
    "home": ("Home page", 0.7),
    "health_center": ("Health center page", 0.5),
    "community_p1": ("Community, active tab, page 1", 0.5),
    "community_p50": ("Community, active tab, page 50", None),
    "thread_50": ("Thread with 50 replies", 0.5),
    "thread_500": ("Thread with 500 replies, page 1", None),
    "search": ("Search page (200 queries, mixed filters)", 0.25),
    "article": ("Article page", None),
    "api_thread": ("API thread JSON", None),
    "reply": ("Posting a reply (4 members, CSRF, index drain)", None),
    "reply_without_drain": ("Diagnosis: posting a reply, index drain off", None),
}
REPLY_P99_MS = 50.0
DEEP_PAGE_COST = 1.5
SEARCH_P95_VS_FTS5 = 1.5
REBUILD_VS_BARE_WHOOSH = 0.75
OUTBOX_WRITE_P95_MS = 10.0
SEARCHABLE_P95_MS = 1000.0


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory_gib = round(int(memory) / 1024 / 1024, 1)
    except OSError:
        memory_gib = 0.0
    import os

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory_gib,
            "system": platform.platform()}  # fmt: skip


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for package in ("flask", "werkzeug", "jinja2", "sqlalchemy", "flask-sqlalchemy", "gunicorn",
                    "whoosh-reloaded", "markdown-it-py", "bleach"):  # fmt: skip
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "-"
    try:
        output = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)  # noqa: S607
        found["wrk"] = (output.stdout or output.stderr).split()[1]
    except (OSError, IndexError):
        found["wrk"] = "-"
    return found


def _check(figure: str, value: Any, target: str, met: bool) -> dict[str, Any]:
    return {"figure": figure, "value": value, "target": target, "met": met}


def figures(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each figure of the issue: what was measured, the target, and whether it is met."""
    checks: list[dict[str, Any]] = []
    pages = results.get("load", {}).get("pages", {})
    for name, (label, share) in PAGES.items():
        if share is not None and name in pages:
            ratio = round(pages[name]["ratio"], 3)
            checks.append(_check(f"{label}: ratio to the 50-row ceiling", ratio, f">= {share}",
                                 ratio >= share))  # fmt: skip
    if "reply" in pages:
        p99 = pages["reply"]["p99_ms"]
        checks.append(_check("Posting a reply: p99 at 4 posters (ms)", p99,
                             f"< {REPLY_P99_MS:g}", p99 < REPLY_P99_MS))  # fmt: skip
    if "community_p1" in pages and "community_p50" in pages:
        first, deep = pages["community_p1"], pages["community_p50"]
        cost = round(first["requests_per_s"] / max(deep["requests_per_s"], 1e-9), 2)
        checks.append(_check("Community page 50 cost / page 1 cost", cost,
                             f"<= {DEEP_PAGE_COST}", cost <= DEEP_PAGE_COST))  # fmt: skip
    statements = results.get("statements", {})
    if statements:
        small, large = statements["small"], statements["large"]
        same = all(small[k] == large[k] for k in large)
        checks.append(_check("SQL statements per page: small = large data set",
                             "equal" if same else "differ", "equal", same))  # fmt: skip
    search = results.get("search", {})
    for engine in ("whoosh", "postgres"):
        if engine in search and "fts5" in search:
            ratio = round(search[engine]["p95_ms"] / max(search["fts5"]["p95_ms"], 1e-9), 2)
            target, met = f"<= {SEARCH_P95_VS_FTS5}", ratio <= SEARCH_P95_VS_FTS5
            checks.append(_check(f"Search engine p95 / FTS5 p95 ({engine})", ratio, target, met))
    checks += _indexing_checks(results.get("indexing", {}))
    notifications = results.get("notifications", {})
    if notifications:
        write, digest = notifications["reply_write"], notifications["digest"]
        checks.append(_check(f"Notification rows for a reply to {write['followers']:,} "
                             "followers: p95 added (ms)", write["p95_ms"], "< 10",
                             write["p95_ms"] < 10))  # fmt: skip
        if "cpu_p95_ms" in write:  # wall time waits for the CPU on a shared machine; this does not
            cpu = write["cpu_p95_ms"]
            checks.append(_check("The same, CPU time of the request thread: p95 (ms)",
                                 cpu, "< 10", cpu < 10))  # fmt: skip
        checks.append(_check(f"Digest run for {digest['members']:,} members (s)",
                             digest["seconds"], "< 60", digest["seconds"] < 60))  # fmt: skip
    for name, label, share in (
        ("thread_50_cached", "Visitor thread page from the page cache", 3.0),
        ("thread_50_304", "Thread page 304 revalidation", 3.0),
    ):
        if name in pages:
            ratio = round(pages[name]["ratio"], 3)
            checks.append(_check(f"{label}: ratio to the 50-row ceiling", ratio, f">= {share:g}",
                                 ratio >= share))  # fmt: skip
    propagation = results.get("page_cache", {})
    if propagation:
        p99 = propagation["invalidated"]["p99_ms"]
        checks.append(_check("A commit in one process drops another's cached page: p99 (ms)",
                             p99, "< 100", p99 < 100))  # fmt: skip
    pills = results.get("pills", {})
    if pills:
        p95 = pills["search"]["p95_ms"]
        checks.append(_check(f"Pill identifier: imprint search p95 over {pills['products']:,} "
                             "products (ms)", p95, "< 20", p95 < 20))  # fmt: skip
    build = results.get("build", {})
    if build.get("rebuild_docs_per_s") and build.get("bare_whoosh_docs_per_s"):
        share = round(build["rebuild_docs_per_s"] / build["bare_whoosh_docs_per_s"], 2)
        checks.append(_check("`flask search rebuild` docs/s / bare Whoosh bulk writer docs/s",
                             share, f">= {REBUILD_VS_BARE_WHOOSH}",
                             share >= REBUILD_VS_BARE_WHOOSH))  # fmt: skip
    return checks


def _indexing_checks(indexing: dict[str, Any]) -> list[dict[str, Any]]:
    """The outbox write a reply request pays, and the delay until a visitor finds the reply."""
    checks: list[dict[str, Any]] = []
    if "outbox" in indexing:
        p95 = indexing["outbox"]["write_p95_ms"]
        checks.append(_check("Indexing a new reply: outbox write p95 per request (ms)", p95,
                             f"< {OUTBOX_WRITE_P95_MS:g}", p95 < OUTBOX_WRITE_P95_MS))  # fmt: skip
    if "searchable" in indexing:
        seen = indexing["searchable"]
        missing = seen["replies"] - seen["found"]
        value = seen["p95_ms"] if not missing else f"{seen['p95_ms']} ({missing} never found)"
        met = not missing and seen["p95_ms"] < SEARCHABLE_P95_MS
        checks.append(_check("A new reply searchable, embedded setup: p95 (ms)", value,
                             f"< {SEARCHABLE_P95_MS:g}", met))  # fmt: skip
    return checks


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _load_rows(load: dict[str, Any]) -> list[str]:
    s = load["settings"]
    lines = [
        "",
        f"Load: gunicorn -w {s['workers']} (sync workers) on 127.0.0.1, wrk "
        f"{s['duration_s']:g} s per page, {s['connections']} connections "
        f"({s['reply_connections']} members posting). The 50-row ceiling is the mean of a run "
        f"before ({load['ceilings']['rows50']['before_requests_per_s']:,.0f} requests/s) and "
        f"after ({load['ceilings']['rows50']['after_requests_per_s']:,.0f}) the forum; load "
        f"average {s['load_average_before']} before and {s['load_average_after']} after the "
        "forum's runs. Worker CPU ms/request is the CPU time the two gunicorn workers spent "
        "per request, which other work on the machine does not inflate; CPU ratio is the "
        "50-row ceiling's CPU per request over the page's.",
        "",
        _row(
            "page",
            "requests/s",
            "p50 ms",
            "p99 ms",
            "ratio to 50-row ceiling",
            "errors",
            "worker CPU ms/request",
            "CPU ratio",
        ),
        _row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"),
    ]
    labelled = [("Ceiling: Flask hello world", load["ceilings"]["hello"])]
    labelled.append(("Ceiling: 50 rows (Flask + SQLAlchemy + Jinja)", load["ceilings"]["rows50"]))
    labelled += [(label, load["pages"][name]) for name, (label, _) in PAGES.items()
                 if name in load["pages"]]  # fmt: skip
    for label, r in labelled:
        rate = f"{r['requests_per_s']:,.1f}"
        cells = (rate, f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}", f"{r['ratio']:.3f}")
        cpu = (f"{r.get('cpu_ms', 0):.2f}", f"{r.get('cpu_ratio', 0):.3f}")
        lines.append(_row(label, *cells, r["errors"], *cpu))
    return lines


def markdown(results: dict[str, Any]) -> str:
    lines = [f"# Benchmark {results['date']} ({results['dataset']['size']} data set)", ""]
    m, v = results["machine"], results["versions"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['system']}.")
    lines.append("Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".")
    rows = results["dataset"]["rows"]
    tables = ("health_topic", "community", "user", "thread", "post", "expert_profile",
              "endorsement", "vote", "article")  # fmt: skip
    counts = ", ".join(f"{rows.get(t, 0):,} {t}" for t in tables)
    lines.append(f"Data set: {counts} (seed {results['dataset']['seed']}).")
    if results.get("load"):
        lines += _load_rows(results["load"])
    lines += _other_tables(results)
    checks = results.get("figures", [])
    if checks:
        lines += ["", _row("figure", "value", "target", "met"), _row("---", "---:", "---", "---")]
        for c in checks:
            lines.append(
                _row(c["figure"], c["value"], c["target"], "yes" if c["met"] else "**no**")
            )
    return "\n".join(lines) + "\n"


def _other_tables(results: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    statements = results.get("statements")
    if statements:
        small, large = statements["small"], statements["large"]
        lines += ["", _row("SQL statements per page (anonymous)",
                           f"small ({statements['small_posts']} posts)",
                           f"large ({statements['large_posts']:,} posts)"),
                  _row("---", "---:", "---:")]  # fmt: skip
        lines += [_row(name, small[name], large[name]) for name in large]
    search = results.get("search", {})
    if search:
        lines += ["", _row("search engine, outside HTTP", "p50 ms", "p95 ms", "queries with hits"),
                  _row("---", "---:", "---:", "---:")]  # fmt: skip
        labels = {"whoosh": "Whoosh (every query computed)", "postgres": "PostgreSQL",
                  "whoosh_hot": "Whoosh, repeated queries (hot-query cache)",
                  "fts5": "SQLite FTS5 (baseline)"}  # fmt: skip
        for name, label in labels.items():
            if name in search:
                r = search[name]
                lines.append(_row(label, f"{r['p50_ms']:.2f}", f"{r['p95_ms']:.2f}",
                                  f"{r['with_hits']}/{r['queries']}"))  # fmt: skip
    if results.get("indexing"):
        lines += _indexing_rows(results["indexing"])
    build, disk = results.get("build", {}), results.get("disk", {})
    lines += ["", _row("other", "value"), _row("---", "---:")]
    facts = [
        ("data set generated and bulk-loaded (s)", build.get("load_s")),
        ("`flask search rebuild` (s)", build.get("rebuild_s")),
        ("`flask search rebuild` (docs/s)", build.get("rebuild_docs_per_s")),
        ("bare Whoosh bulk writer, same documents (docs/s)", build.get("bare_whoosh_docs_per_s")),
        ("documents built from the database (docs/s)", build.get("documents_per_s")),
        ("peak RSS of a forum worker (MiB)", results.get("memory", {}).get("worker_peak_rss_mb")),
        ("database on disk (MiB)", disk.get("database_mb")),
        ("Whoosh index on disk (MiB)", disk.get("index_mb")),
        ("search outbox drained after the reply run (s)", results.get("load", {}).get("drain_s")),
        ("PostgreSQL: data set bulk-loaded (s)", search.get("postgres", {}).get("load_s")),
        ("PostgreSQL: search index rebuilt (s)", search.get("postgres", {}).get("rebuild_s")),
        ("PostgreSQL: rebuild (docs/s)", search.get("postgres", {}).get("rebuild_docs_per_s")),
        ("whole benchmark (s)", results.get("total_s")),
    ]
    lines += [_row(label, value) for label, value in facts if value is not None]
    return lines


def _indexing_rows(indexing: dict[str, Any]) -> list[str]:
    box, seen = indexing["outbox"], indexing["searchable"]
    return [
        "",
        f"Indexing a new reply, in-process (Flask test client, one member, CSRF token): "
        f"{box['replies']} replies after {box['warm_up']} warm-up ones with the index drain "
        f"off, timing the outbox's flush and statement listeners in each request; then "
        f"{seen['replies']} replies with the {seen['drain_mode']!r} drain, each with a word of "
        f"its own that a visitor's search (the search page's call, in the same process: "
        f"{seen['search_mean_ms']:.1f} ms on average) looks for every {seen['poll_ms']:g} ms, "
        f"for at most {seen['timeout_s']:g} s, from the reply request's return until the "
        "search lists the thread.",
        "",
        _row("indexing a new reply", "replies", "p50 ms", "p95 ms", "max ms"),
        _row("---", "---:", "---:", "---:", "---:"),
        _row("outbox write (flush and statement listeners) per request", box["replies"],
             box["write_p50_ms"], box["write_p95_ms"], box["write_max_ms"]),
        _row("whole reply request, index drain off", box["replies"], box["request_p50_ms"],
             box["request_p95_ms"], box["request_max_ms"]),
        _row("searchable after the reply request returns", f"{seen['found']}/{seen['replies']}",
             seen["p50_ms"], seen["p95_ms"], seen["max_ms"]),
    ]  # fmt: skip


README = RESULTS.parent.parent / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(results: dict[str, Any], readme: Path = README) -> bool:
    """Put the load table and the figures between the README's bench markers."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start or not results.get("load"):
        return False
    rows = results["dataset"]["rows"]
    lines = [README_START, "", f"{results['date']}, {rows['post']:,} posts:"]
    lines += _load_rows(results["load"])
    lines += ["", _row("figure", "value", "target", "met"), _row("---", "---:", "---", "---")]
    for c in results.get("figures", []):
        lines.append(_row(c["figure"], c["value"], c["target"], "yes" if c["met"] else "**no**"))
    lines += ["", f"The whole report: `bench/results/{results['date']}.md`.", ""]
    readme.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
    return True


def write(results: dict[str, Any], directory: Path = RESULTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{results['date']}.md"
    if results["dataset"]["size"] != "full":
        path = directory / f"{results['date']}-{results['dataset']['size']}.md"
    path.write_text(markdown(results), encoding="utf-8")
    (directory / "latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    return path
