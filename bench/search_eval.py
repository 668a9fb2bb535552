"""`make search-eval`: the forum's search ranking against a plain BM25 baseline (SQLite FTS5).

MedQuAD's question/answer pairs are imported through the `flask import qa` service into a
temporary forum (a few communities, by source), answered by a verified organization. Two
query sets from MEDIQA 2019 are then run as a visitor would search, and the top 10 threads
(mapped back to MedQuAD ids through their `qa:<id>` source) are scored:

* RQE consumer questions (`chq` of the pairs with `entails: true`). A MedQuAD row whose
  question is the pair's FAQ (case, punctuation and MedQuAD's "(are)" ignored) has grade 2;
  the other rows about the FAQ's focus (the longest MedQuAD focus named in the FAQ) grade 1.
* Judged questions (all splits). Answers judged correct (reference_score 3 or 4) name a
  page: the MedQuAD rows of that page (same URL) have grade score - 2 (1 or 2), the row
  whose answer text is the judged text itself grade score - 1 (2 or 3).

Queries without any relevant MedQuAD row are left out (counted in the report). Before any
tuning, the queries were split for good into a tuning part and a held-out part by a hash of
their id (see `part_of`): changes are tuned on the first only, the second tells whether they
generalize. nDCG@10 uses
gains 2^grade - 1; recall@10 counts rows of grade >= 1. The baseline indexes the same
documents (each thread's indexed title and body) in FTS5 with its default tokenizer, and
searches the question's words OR-ed, stop words removed, ranked by bm25().

The data ships in bench/data/ (FORUM_BENCH_SHARED_DATA may name a full copy instead).

Run: python -m bench.search_eval [--postgres URL] (FORUM_TEST_DATABASE_URL also enables it)
[--rows N --max-queries N] (a subset, for a quick check) [--part tuning] (only that part)
[--step "what changed"] (adds a row per system to the table of steps, kept in the results).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import multiprocessing
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask
from sqlalchemy import select

from bench import inputs
from bench.search_relevance import (
    JUDGED_FILE,
    RQE_FILE,
    K,
    Query,
    judged_queries,
    rqe_queries,
    score,
)
from bench.vocabulary import MEDQUAD
from forum import create_app
from forum.communities import services as communities
from forum.experts import services as experts
from forum.extensions import db
from forum.imports import qa as importer
from forum.models import Thread
from forum.search import maintenance, outbox
from forum.search.documents import all_documents, count_documents, parse_key
from forum.search.forms import SearchParams
from forum.search.query import STOP_WORDS, words_of
from forum.search.services import search_threads

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search-eval.md"
# A run on a subset never replaces the committed results.
SUBSET = ROOT / "instance" / "search-eval-subset.md"
Runs = dict[str, list[str]]
# Seconds each query took, by system.
Latencies = dict[str, list[float]]
TUNING, HELD_OUT = "tuning", "held-out"
# The share of the queries held out (by a hash of the query id, fixed before any tuning).
HELD_OUT_PERCENT = 40
STEPS_HEADING = "## Steps"
STEPS_HEADER = (
    "| step | system | tuning nDCG@10 | tuning recall@10 | held-out nDCG@10 | "
    "held-out recall@10 | held-out consumer nDCG@10 | p95 ms |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|"
)
ORG = "nih_reference_answers"
# Community slug -> (name, MedQuAD sources), one health topic each.
COMMUNITIES = {
    "cancer-answers": ("Cancer questions", ("CancerGov",)),
    "rare-and-genetic": ("Rare and genetic conditions", ("GARD", "GHR")),
    "nih-institutes": ("Diabetes, kidney, brain, heart and lung", ("NIDDK", "NINDS", "NHLBI")),
    "everyday-health": ("Everyday health", ("MPlusHealthTopics", "NIHSeniorHealth", "CDC")),
}


# The forum


def make_forum(database_url: str, index_dir: Path, backend: str) -> Flask:
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": database_url,
            "SEARCH_BACKEND": backend,
            "SEARCH_DIR": str(index_dir),
            "SEARCH_DRAIN": "off",
            "RATELIMIT_ENABLED": False,
            # The duplicate-post guard compares each new post with all the organization's
            # recent ones: thousands here. Rows have distinct texts anyway.
            "DUPLICATE_POST_MINUTES": 0,
        }
    )
    logging.getLogger().setLevel(logging.WARNING)
    return app


def load_forum(app: Flask, rows: list[dict[str, Any]], say: Callable[[str], None]) -> None:
    """Import the MedQuAD rows through the import-qa service, then index them."""
    with app.app_context(), app.test_request_context("/"):
        db.create_all()
        experts.create_organization(
            ORG, "NIH health information (MedQuAD)", "https://medlineplus.gov/"
        )
        started = time.perf_counter()
        for slug, (name, sources) in COMMUNITIES.items():
            topic = communities.create_topic(None, slug, name, f"Reference answers: {name}.")
            communities.create_community(None, slug, name, topic)
            community, org = importer.import_target(slug, ORG)
            chosen = [
                importer.parse_line(n, json.dumps(r))
                for n, r in enumerate(rows, 1)
                if r["source"] in sources
            ]
            result = importer.import_qa_rows(chosen, community, org)
            say(f"{slug}: {result.summary()}")
        say(f"imported in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        outbox.drain_all(max_batches=100_000)
        indexed = count_documents(db.session())
        say(f"indexed {indexed} threads in {time.perf_counter() - started:.0f} s")


def source_ids(app: Flask) -> dict[int, str]:
    with app.app_context():
        pairs = db.session.execute(select(Thread.id, Thread.source_id)).all()
    return {tid: sid.removeprefix(importer.SOURCE_PREFIX) for tid, sid in pairs if sid}


def part_of(query_id: str) -> str:
    """The query's part: the same for ever, whatever else changes (a hash of its id)."""
    digest = hashlib.sha256(query_id.encode()).digest()
    return HELD_OUT if digest[0] * 100 // 256 < HELD_OUT_PERCENT else TUNING


def run_forum(app: Flask, queries: list[Query], took: list[float]) -> Runs:
    ids = source_ids(app)
    runs = {}
    with app.app_context(), app.test_request_context("/"):
        for query in queries:
            started = time.perf_counter()
            found = search_threads(None, SearchParams(q=query.text), per_page=K)
            took.append(time.perf_counter() - started)
            threads = [item.thread.id for item in found.items if item.thread is not None]
            runs[query.id] = [ids[thread] for thread in threads if thread in ids]
            db.session.remove()
    return runs


# The baseline


def build_fts(app: Flask) -> sqlite3.Connection:
    """The forum's indexed documents (title and body) in an FTS5 table."""
    ids = source_ids(app)
    fts = sqlite3.connect(":memory:")
    fts.execute("CREATE VIRTUAL TABLE doc USING fts5(mid UNINDEXED, title, body)")
    with app.app_context():
        for doc in all_documents(db.session()):
            key = parse_key(doc.key)
            if key is not None and key[1] in ids:
                fts.execute("INSERT INTO doc VALUES (?, ?, ?)", (ids[key[1]], doc.title, doc.body))
    fts.commit()
    return fts


def run_fts(fts: sqlite3.Connection, queries: list[Query], took: list[float]) -> Runs:
    runs = {}
    for query in queries:
        started = time.perf_counter()
        words = dict.fromkeys(w for w in words_of(query.text) if w not in STOP_WORDS)
        match = " OR ".join(f'"{word}"' for word in words)
        found = (
            fts.execute(
                "SELECT mid FROM doc WHERE doc MATCH ? ORDER BY bm25(doc) LIMIT ?", (match, K)
            ).fetchall()
            if match
            else []
        )
        runs[query.id] = [mid for (mid,) in found]
        took.append(time.perf_counter() - started)
    return runs


# PostgreSQL: a database of our own on the given server, loaded by a second process


@contextmanager
def postgres_database(server_url: str, keep: str | None = None) -> Iterator[tuple[str, bool]]:
    """A new database on the server of the URL (dropped afterwards), or the database `keep`
    (created if missing, kept); yields its URL and whether it must be loaded."""
    import psycopg

    parts = urlsplit(server_url.replace("postgresql+psycopg://", "postgresql://"))
    name = keep or f"forum_search_eval_{os.getpid()}"
    admin = psycopg.connect(urlunsplit(parts), autocommit=True)
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if not (keep and exists):
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), not (keep and exists)
    finally:
        if not keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def load_postgres(url: str, medquad: Path, rows: int, index_dir: Path) -> None:
    """In a child process: the same import into PostgreSQL, while the parent does SQLite."""
    app = make_forum(url, index_dir, "postgres")
    chosen = spread(inputs.read_jsonl(medquad), rows)
    load_forum(app, chosen, lambda line: print(f"  postgres {line}", flush=True))


def spread(rows: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """`count` rows evenly spread over the file (every source gets some), or all with 0."""
    if not count or count >= len(rows):
        return rows
    return [rows[index * len(rows) // count] for index in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    shared = inputs.shared_folder()
    parser.add_argument(
        "--medquad",
        type=Path,
        default=shared / "medquad" / MEDQUAD if shared else inputs.find(inputs.DATA, MEDQUAD),
    )
    parser.add_argument(
        "--mediqa",
        type=Path,
        default=shared / "mediqa2019" if shared else inputs.DATA,
        help="The folder of the two MEDIQA 2019 files (.jsonl or .jsonl.gz).",
    )
    parser.add_argument(
        "--rows", type=int, default=0, help="Import this many MedQuAD rows, spread (0: all)."
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("FORUM_TEST_DATABASE_URL"),
        help="A PostgreSQL server URL (default FORUM_TEST_DATABASE_URL); a database of its "
        "own is created there and dropped.",
    )
    parser.add_argument("--max-queries", type=int, default=0, help="Per set (0: all).")
    parser.add_argument(
        "--part", choices=(TUNING, HELD_OUT), help="Run only the queries of this part."
    )
    parser.add_argument(
        "--step", help="Add the run to the table of steps under this name (what changed)."
    )
    parser.add_argument(
        "--keep-postgres",
        metavar="NAME",
        help="Use (and keep) this PostgreSQL database, loading it only when it is new.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="Default bench/results/search-eval.md, or instance/search-eval-subset.md for a "
        "subset (--rows, --max-queries).",
    )
    parser.add_argument(
        "--workdir", type=Path, help="Keep the SQLite forum and index here; reuse them if present."
    )
    args = parser.parse_args(argv)
    return inputs.exit_on_missing_input(lambda: evaluate(args))


def query_sets(args: argparse.Namespace, rows: list[dict[str, Any]]) -> dict[str, list[Query]]:
    pairs = inputs.read_jsonl(inputs.find(args.mediqa, RQE_FILE))
    judged = inputs.read_jsonl(inputs.find(args.mediqa, JUDGED_FILE))
    return {
        "RQE consumer questions": rqe_queries(pairs, rows),
        "Judged questions": judged_queries(judged, rows),
    }


def set_notes(args: argparse.Namespace, sets: dict[str, list[Query]]) -> list[str]:
    pairs = inputs.read_jsonl(inputs.find(args.mediqa, RQE_FILE))
    judged = inputs.read_jsonl(inputs.find(args.mediqa, JUDGED_FILE))
    entailed = sum(1 for pair in pairs if pair["entails"])
    rqe, qa = sets["RQE consumer questions"], sets["Judged questions"]
    return [
        f"RQE: {len(rqe)} of the {entailed} entailed pairs have a relevant MedQuAD row; "
        f"judged: {len(qa)} of {len(judged)} questions have a correct answer from a MedQuAD page.",
        "The forum searches as a visitor (search_threads, first page of 10); its parser caps "
        "a query at 256 characters and 32 terms, the baseline gets the whole question.",
    ]


def evaluate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    all_rows = inputs.read_jsonl(args.medquad)
    rows = spread(all_rows, args.rows)
    sets = query_sets(args, rows)
    part = f" of {len(all_rows)} (spread over the file)" if len(rows) < len(all_rows) else ""
    notes = [
        f"{len(rows)}{part} MedQuAD rows imported into {len(COMMUNITIES)} communities (by source)."
    ]
    notes += set_notes(args, sets)
    for name, queries in list(sets.items()):
        if args.part:
            queries = sets[name] = [q for q in queries if part_of(q.id) == args.part]
        if args.max_queries and len(queries) > args.max_queries:
            chosen = random.Random(5).sample(queries, args.max_queries)
            sets[name] = sorted(chosen, key=lambda q: q.id)
            notes.append(f"{name}: {args.max_queries} of {len(queries)} queries (random, seed 5).")
    everything = [q for queries in sets.values() for q in queries]
    systems: dict[str, Runs] = {}
    took: Latencies = {}
    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp, ExitStack() as stack:
        child = None
        if args.postgres:
            url, load = stack.enter_context(postgres_database(args.postgres, args.keep_postgres))
            if load:
                child = multiprocessing.get_context("spawn").Process(
                    target=load_postgres,
                    args=(url, args.medquad, args.rows, Path(tmp) / "unused"),
                )
                child.start()
                print("postgres: importing in a second process", flush=True)
        else:
            notes.append("PostgreSQL not run: give --postgres URL or FORUM_TEST_DATABASE_URL.")
        app = sqlite_forum(args.workdir or Path(tmp), rows)
        fts = build_fts(app)
        for name, action, target in (
            ("FTS5 BM25 (baseline)", run_fts, fts),
            ("forum, Whoosh", run_forum, app),
        ):
            took[name] = []
            systems[name] = timed(name, action, target, everything, took[name])
        if args.postgres:
            if child is not None:
                child.join()
                if child.exitcode:
                    print(f"the PostgreSQL import failed (exit {child.exitcode})", file=sys.stderr)
                    return 1
            pg_app = make_forum(url, Path(tmp) / "unused", "postgres")
            try:
                name = "forum, PostgreSQL"
                took[name] = []
                systems[name] = timed(name, run_forum, pg_app, everything, took[name])
            finally:
                with pg_app.app_context():
                    db.engine.dispose()
    table = report(sets, systems, took)
    notes.append(f"Took {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores.")
    print("\n" + table + "\n\n" + "\n".join(notes))
    subset = args.rows or args.max_queries or args.part
    path = args.out or (SUBSET if subset else RESULTS)
    steps = kept_steps(path)
    if args.step:
        steps += step_rows(args.step, sets, systems, took)
        print("\n".join(steps[-len(systems) + 1 :]))
    write_report(path, table, notes, steps)
    return 0


def sqlite_forum(work: Path, rows: list[dict[str, Any]]) -> Flask:
    work.mkdir(parents=True, exist_ok=True)
    reuse = (work / "forum.db").exists()
    app = make_forum(f"sqlite:///{work}/forum.db", work / "index", "whoosh")
    if reuse:
        print(f"whoosh: reusing the forum in {work}", flush=True)
        with app.app_context():
            if maintenance.rebuild_if_outdated() is not None:
                print("whoosh: rebuilt the index (a new format)", flush=True)
    else:
        load_forum(app, rows, lambda line: print(f"  whoosh {line}", flush=True))
    return app


def timed(label: str, action: Callable[..., Runs], *args: Any) -> Runs:
    started = time.perf_counter()
    result = action(*args)
    print(f"{label}: {time.perf_counter() - started:.0f} s", flush=True)
    return result


def p95(seconds: list[float]) -> float:
    """The 95th percentile, in milliseconds."""
    if not seconds:
        return 0.0
    ordered = sorted(seconds)
    return 1000 * ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def split(sets: dict[str, list[Query]]) -> Iterator[tuple[str, str, list[Query]]]:
    """(part, set name, queries) for each part and set, then each part's whole."""
    for part in (TUNING, HELD_OUT):
        chosen = {name: [q for q in qs if part_of(q.id) == part] for name, qs in sets.items()}
        if not any(chosen.values()):
            continue
        for name, queries in chosen.items():
            yield part, name, queries
        yield part, "All", [q for qs in chosen.values() for q in qs]


def report(sets: dict[str, list[Query]], systems: dict[str, Runs], took: Latencies) -> str:
    rows = [
        "| part | query set | queries | system | nDCG@10 | recall@10 |",
        "|---|---|---:|---|---:|---:|",
    ]
    for part, name, queries in split(sets):
        for system, runs in systems.items():
            result = score(runs, queries)
            rows.append(
                f"| {part} | {name} | {len(queries)} | {system} | {result.ndcg:.3f} "
                f"| {result.recall:.3f} |"
            )
    rows += ["", "| system | p95 ms per query (all queries) |", "|---|---:|"]
    rows += [f"| {system} | {p95(seconds):.1f} |" for system, seconds in took.items()]
    return "\n".join(rows)


def step_rows(
    step: str, sets: dict[str, list[Query]], systems: dict[str, Runs], took: Latencies
) -> list[str]:
    """A row of the table of steps per forum system (the baseline does not change)."""
    rows = []
    found = {(part, name): queries for part, name, queries in split(sets)}
    consumer = next(iter(sets))
    for system, runs in systems.items():
        if system.startswith("FTS5"):
            continue
        cells = [step, system]
        for key in ((TUNING, "All"), (HELD_OUT, "All")):
            queries = found.get(key)
            result = score(runs, queries) if queries else None
            cells += [f"{result.ndcg:.3f}", f"{result.recall:.3f}"] if result else ["—", "—"]
        held_consumer = found.get((HELD_OUT, consumer))
        cells.append(f"{score(runs, held_consumer).ndcg:.3f}" if held_consumer else "—")
        cells.append(f"{p95(took[system]):.1f}")
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def kept_steps(path: Path) -> list[str]:
    """The rows of the table of steps already in the results file."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    if STEPS_HEADING not in text:
        return []
    lines = text.split(STEPS_HEADING, 1)[1].splitlines()
    return [line for line in lines if line.startswith("| ") and not line.startswith("| step |")]


def write_report(path: Path, table: str, notes: list[str], steps: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = (__doc__ or "").split("\n\n", 1)
    text = [
        "# Search evaluation (`make search-eval`)",
        "",
        doc[1].rsplit("\n\nRun:", 1)[0] if len(doc) > 1 else "",
        "",
        table,
        "",
        *[f"- {note}" for note in notes],
        "",
        STEPS_HEADING,
        "",
        "Each change, measured with `--step` (a row per forum system); tuned on the tuning "
        "part only. p95 is the search time per query in that run: a busy machine inflates "
        "it, so compare rows of a quiet run, and `make bench` for latency.",
        "",
        STEPS_HEADER,
        *steps,
        "",
    ]
    path.write_text("\n".join(text), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
