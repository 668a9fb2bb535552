"""Similar questions as the composer shows them, measured on MEDIQA 2019 question entailment.

MedQuAD's question/answer pairs are imported into a temporary forum as `make search-eval`
does (see bench/search_eval.py). For every RQE pair with `entails: true` whose FAQ is a
MedQuAD question (case, punctuation and MedQuAD's "(are)" ignored, as search-eval matches
it), the consumer question (`chq`) is typed as a new thread's title: the composer's list is
`similar_questions(viewer, title)` as a visitor, 5 threads. A query is a hit when the thread
of the entailed FAQ is among them; MRR@5 is the mean of 1/rank of the first such thread
(0 when none). The search page (`search_threads`, the chq as query, first 5 results) is
measured on the same queries for comparison.

A second, looser set counts a thread about the FAQ's focus (search-eval's grade 1: a
MedQuAD row whose focus is the longest MedQuAD focus named in the FAQ) as found too, over
every entailed pair with such a row: does the list at least stay on the asker's topic?

A subset (`--rows N`) imports N rows spread over the file plus every FAQ row, so all the
exact-match queries are kept whatever N; the other rows are the distractors.

Run: python -m bench.similar_eval [--rows N] [--max-queries N] [--out PATH]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

from bench import inputs
from bench.search_eval import load_forum, make_forum, source_ids, spread
from bench.search_relevance import RQE_FILE, Query, rqe_queries
from bench.vocabulary import MEDQUAD
from forum.extensions import db
from forum.search.forms import SearchParams
from forum.search.services import search_threads, similar_questions

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "similar-eval.md"
K = 5
DEFAULT_ROWS = 1500
# The grade search-eval gives the MedQuAD rows whose question is the pair's FAQ itself.
FAQ_GRADE = 2
Runs = dict[str, list[str]]


@dataclass(frozen=True)
class Figures:
    system: str
    query_set: str
    queries: int
    hit: float
    mrr: float


def faq_queries(pairs: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[Query]:
    """The entailed pairs whose FAQ is an imported MedQuAD question (only those rows kept)."""
    queries = []
    for query in rqe_queries(pairs, rows):
        exact = {row: 2 for row, grade in query.grades.items() if grade >= FAQ_GRADE}
        if exact:
            queries.append(Query(query.id, query.text, exact))
    return queries


def chosen_rows(
    all_rows: list[dict[str, Any]], pairs: list[dict[str, Any]], count: int
) -> list[dict[str, Any]]:
    """`count` rows spread over the file, plus every row that is an entailed pair's FAQ
    (so that a subset keeps all the queries), in the file's order."""
    spread_ids = {row["id"] for row in spread(all_rows, count)}
    wanted = spread_ids | {row for q in faq_queries(pairs, all_rows) for row in q.grades}
    return [row for row in all_rows if row["id"] in wanted]


def sample(queries: list[Query], count: int) -> list[Query]:
    """At most `count` of the queries, chosen at random with a fixed seed, in id order."""
    if len(queries) <= count:
        return queries
    return sorted(random.Random(5).sample(queries, count), key=lambda q: q.id)


def run_similar(app: Flask, queries: list[Query]) -> Runs:
    """The composer's list for the chq typed as a title, as a visitor."""
    ids = source_ids(app)
    runs = {}
    with app.app_context(), app.test_request_context("/"):
        for query in queries:
            threads = similar_questions(None, query.text, limit=K)
            runs[query.id] = [ids[thread.id] for thread in threads if thread.id in ids]
            db.session.remove()
    return runs


def run_search(app: Flask, queries: list[Query]) -> Runs:
    """The search page's first K results for the chq, as a visitor."""
    ids = source_ids(app)
    runs = {}
    with app.app_context(), app.test_request_context("/"):
        for query in queries:
            found = search_threads(None, SearchParams(q=query.text), per_page=K)
            threads = [item.thread.id for item in found.items if item.thread is not None]
            runs[query.id] = [ids[thread] for thread in threads if thread in ids][:K]
            db.session.remove()
    return runs


def figures(system: str, query_set: str, runs: Runs, queries: list[Query]) -> Figures:
    """hit@K and MRR@K over the queries (0 for an empty set)."""
    if not queries:
        return Figures(system, query_set, 0, 0.0, 0.0)
    hits = 0
    reciprocal = 0.0
    for query in queries:
        ranked = runs.get(query.id, [])[:K]
        rank = next((i for i, row in enumerate(ranked, 1) if row in query.grades), 0)
        hits += rank > 0
        reciprocal += 1 / rank if rank else 0.0
    hit, mrr = hits / len(queries), reciprocal / len(queries)
    return Figures(system, query_set, len(queries), hit, mrr)


def table(results: list[Figures]) -> str:
    rows = [f"| query set | system | queries | hit@{K} | MRR@{K} |", "|---|---|---:|---:|---:|"]
    rows += [
        f"| {r.query_set} | {r.system} | {r.queries} | {r.hit:.3f} | {r.mrr:.3f} |" for r in results
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--medquad", type=Path, default=inputs.find(inputs.DATA, MEDQUAD))
    parser.add_argument(
        "--mediqa", type=Path, default=inputs.DATA, help="The folder of the RQE pairs file."
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=DEFAULT_ROWS,
        help=f"MedQuAD rows to import besides the FAQ rows (0: all; default {DEFAULT_ROWS}).",
    )
    parser.add_argument("--max-queries", type=int, default=0, help="At most this many (0: all).")
    parser.add_argument("--out", type=Path, default=RESULTS, help="The Markdown report.")
    args = parser.parse_args(argv)
    return inputs.exit_on_missing_input(lambda: evaluate(args))


def evaluate(args: argparse.Namespace, say: Callable[[str], None] = print) -> int:
    started = time.perf_counter()
    all_rows = inputs.read_jsonl(args.medquad)
    pairs = inputs.read_jsonl(inputs.find(args.mediqa, RQE_FILE))
    rows = chosen_rows(all_rows, pairs, args.rows)
    queries = faq_queries(pairs, rows)
    topical = rqe_queries(pairs, rows)
    entailed = sum(1 for pair in pairs if pair["entails"])
    notes = [
        f"{len(rows)} of {len(all_rows)} MedQuAD rows imported: {args.rows or 'all'} spread "
        "over the file, plus every row whose question is an entailed pair's FAQ.",
        f"{len(queries)} of the {entailed} entailed RQE pairs have their FAQ in MedQuAD "
        "(exact question match): these are the queries.",
        f"{len(topical)} entailed pairs have a row of the FAQ or its focus (the looser set).",
    ]
    if args.max_queries:
        notes.append(f"At most {args.max_queries} queries per set (random, seed 5).")
        queries, topical = sample(queries, args.max_queries), sample(topical, args.max_queries)
    with tempfile.TemporaryDirectory(prefix="similar-eval-") as tmp:
        work = Path(tmp)
        app = make_forum(f"sqlite:///{work}/forum.db", work / "index", "whoosh")
        load_forum(app, rows, lambda line: say(f"  {line}"))
        results = []
        for query_set, chosen in (("entailed FAQ", queries), ("FAQ or its focus", topical)):
            for system, run in (
                ("similar questions (composer)", run_similar),
                (f"search page, first {K}", run_search),
            ):
                results.append(figures(system, query_set, run(app, chosen), chosen))
        with app.app_context():
            db.engine.dispose()
    notes.append(f"Took {time.perf_counter() - started:.0f} s (Whoosh, SQLite).")
    text = table(results)
    say("\n" + text + "\n\n" + "\n".join(notes))
    write_report(args.out, text, notes)
    return 0


def write_report(path: Path, text: str, notes: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    how = (__doc__ or "").split("\n\n", 1)[-1].rsplit("\n\nRun:", 1)[0]
    lines = ["# Similar questions evaluation (`python -m bench.similar_eval`)", "", how, ""]
    lines += [text, "", *[f"- {note}" for note in notes], ""]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
