"""The benchmark's logic on a tiny data set, so `make bench` cannot rot (no gunicorn, no wrk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import indexing, loader, queries, report, search_eval, search_latency, statements
from bench.dataset import SIZES, generate
from bench.load import parse_wrk
from bench.settings import make_app
from bench.vocabulary import load as load_vocabulary
from forum.extensions import db
from forum.search import maintenance, outbox

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.10ms    2.00ms  40.00ms   90.00%
  Latency Distribution
     50%    4.80ms
     75%    5.90ms
     90%    7.10ms
     99%    1.20s
  7800 requests in 10.00s, 90.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    780.00
Transfer/sec:      9.00MB
"""


def test_the_generator_gives_the_same_rows_for_the_same_seed() -> None:
    words = load_vocabulary()
    first = generate(SIZES["tiny"], words, "hash", "v1", seed=3)
    second = generate(SIZES["tiny"], words, "hash", "v1", seed=3)
    assert first.tables == second.tables
    assert first.manifest == second.manifest
    assert len(first.tables["post"]) == SIZES["tiny"].posts


@pytest.mark.sqlite
def test_the_benchmark_measures_a_tiny_data_set(tmp_path: Path) -> None:
    # Statements are counted without the page cache, as `make bench` counts them.
    app = make_app(tmp_path, "a test secret key for the benchmark smoke test", CACHE_SECONDS=0)
    manifest = loader.build(app, SIZES["tiny"], progress=lambda _message: None).manifest
    with app.app_context():
        tiny = SIZES["tiny"]  # every thread, and the articles (all published)
        assert maintenance.rebuild().documents == tiny.threads + tiny.articles
        with db.engine.connect() as connection:
            assert not any(loader.check_counters(connection).values())

    counts = statements.count_statements(app, statements.page_paths(manifest))
    assert set(counts) == set(statements.page_paths(manifest))
    assert all(0 < count <= 15 for count in counts.values()), counts

    args = queries.search_args(manifest["topic_slugs"], manifest["public_community_slugs"])
    assert len(args) == 200
    engine_queries = search_latency.build_queries(app, args[:40])
    whoosh = search_latency.engine_latency(app, engine_queries)
    docs = search_latency.collect_documents(app)
    baseline = search_latency.Fts5Baseline(tmp_path / "fts5.db")
    baseline.build(docs)
    fts5 = search_latency.measure(baseline.search, engine_queries)
    baseline.close()
    assert whoosh.queries == fts5.queries == 40
    assert whoosh.with_hits > 0 and fts5.with_hits > 0
    assert search_latency.bare_whoosh_rate(docs, tmp_path / "bare")[1] > 0

    secret = "a test secret key for the benchmark smoke test"
    figures = indexing.indexing_figures(tmp_path, manifest, secret, replies=6, warm_up=2,
                                        searchable=3)  # fmt: skip
    written, seen = figures["outbox"], figures["searchable"]
    # Every reply request wrote its thread's outbox row, and the rows were applied after.
    assert (written["replies"], written["outbox_rows"]) == (6, 8)
    assert 0 < written["write_p50_ms"] <= written["write_p95_ms"] <= written["write_max_ms"]
    assert written["write_p95_ms"] < written["request_p95_ms"]
    with app.app_context():
        assert outbox.pending_count() == 0
    assert (seen["drain_mode"], seen["replies"], seen["found"]) == ("thread", 3, 3)
    assert seen["searches"] >= 3 and seen["search_mean_ms"] > 0
    assert 0 < seen["min_ms"] <= seen["p50_ms"] <= seen["max_ms"] < seen["timeout_s"] * 1000

    results = {
        "date": "2026-01-01",
        "machine": report.machine(),
        "versions": {"python": "3"},
        "dataset": {"size": "tiny", "seed": 9, "rows": manifest["rows"]},
        "statements": {"small": counts, "large": counts, "small_posts": 1, "large_posts": 1},
        "search": {"whoosh": whoosh.as_dict(), "fts5": fts5.as_dict()},
        "indexing": figures,
    }
    results["figures"] = report.figures(results)
    checked = {check["figure"]: check for check in results["figures"]}
    outbox_check = checked["Indexing a new reply: outbox write p95 per request (ms)"]
    assert (outbox_check["value"], outbox_check["target"]) == (written["write_p95_ms"], "< 10")
    assert checked["A new reply searchable, embedded setup: p95 (ms)"]["target"] == "< 1000"
    text = report.markdown(results)
    assert "| home |" in text
    assert "| searchable after the reply request returns | 3/3 |" in text


def test_wrk_output_is_read_in_milliseconds() -> None:
    result = parse_wrk(WRK_OUTPUT)
    assert (result.requests_per_s, result.p50_ms, result.p99_ms) == (780.0, 4.8, 1200.0)
    assert (result.requests, result.errors) == (7800, 3)


def test_an_unreadable_input_file_ends_the_evaluation_with_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "medquad_qa.jsonl.gz"
    broken.write_bytes(b"not a gzip file")
    assert search_eval.main(["--medquad", str(broken)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith(f"bench: unreadable input file {broken}: Not a gzipped file")
