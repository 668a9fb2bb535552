"""The similar-questions evaluation (bench/similar_eval.py) on a tiny import, so it cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import similar_eval
from bench.search_relevance import Query


@pytest.mark.sqlite
def test_the_similar_questions_evaluation_reports_hit_and_mrr_at_5(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "similar-eval.md"
    assert similar_eval.main(["--rows", "10", "--max-queries", "4", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Similar questions evaluation")
    assert "| query set | system | queries | hit@5 | MRR@5 |" in text
    rows = [line.split("|")[1:-1] for line in text.splitlines() if line.startswith("| ")][1:]
    assert [(cells[0].strip(), cells[1].strip()) for cells in rows] == [
        ("entailed FAQ", "similar questions (composer)"),
        ("entailed FAQ", "search page, first 5"),
        ("FAQ or its focus", "similar questions (composer)"),
        ("FAQ or its focus", "search page, first 5"),
    ]
    for cells in rows:
        queries, hit, mrr = int(cells[2]), float(cells[3]), float(cells[4])
        assert queries == 4
        assert 0.0 <= mrr <= hit <= 1.0
    # Every FAQ row is imported whatever --rows says, so the exact-match queries are all kept.
    assert "26 of the 244 entailed RQE pairs have their FAQ in MedQuAD" in text
    assert "hit@5" in capsys.readouterr().out


def test_the_first_relevant_thread_sets_the_reciprocal_rank() -> None:
    queries = [
        Query("a", "first", {"x": 2}),
        Query("b", "second", {"y": 2}),
        Query("c", "missing", {"z": 2}),
    ]
    runs = {"a": ["x", "q"], "b": ["q", "r", "y"], "c": ["q", "r", "s", "t", "u", "z"]}
    result = similar_eval.figures("system", "set", runs, queries)
    assert result.queries == 3
    assert result.hit == pytest.approx(2 / 3)
    assert result.mrr == pytest.approx((1 + 1 / 3) / 3)
