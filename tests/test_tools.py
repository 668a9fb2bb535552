"""The offline build scripts in tools/: outside the app, runnable, and reproducing the shipped data.

The reproduction tests rebuild each shipped data folder from the public datasets in
../shared/data (FORUM_TOOLS_SHARED_DATA overrides where) and compare it with the committed
files; they skip where that folder is absent.
"""

from __future__ import annotations

import ast
import gzip
import importlib
import json
import os
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import tools
from bench import vocabulary
from bench.experts import article_body
from tools import bench_drugs, build_bench_data, build_drug_data, build_seed_articles
from tools.build_seed_data import build as build_seed_data

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FORUM_TOOLS_SHARED_DATA") or ROOT.parent / "shared" / "data")
needs_shared_data = pytest.mark.skipif(
    not (SHARED / "medquad").is_dir(),
    reason=f"the public datasets are not in {SHARED} (set FORUM_TOOLS_SHARED_DATA)",
)
MOVED = (
    "forum/seed/build_data.py",
    "forum/seed/build_articles.py",
    "forum/drugs/build_data.py",
    "forum/drugs/build_interactions.py",
    "forum/drugs/bench.py",
    "forum/search/drug_synonyms.py",
)


def contents(path: Path) -> bytes:
    """A file's bytes, decompressed when gzip (zlib versions may pack differently)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def assert_same_files(built: Path, shipped: Path) -> None:
    names = sorted(path.name for path in built.iterdir() if path.is_file())
    assert names, built
    for name in names:
        assert contents(built / name) == contents(shipped / name), name


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_the_app_never_imports_the_tools_or_the_benchmark() -> None:
    for path in (ROOT / "forum").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not [n for n in names if n.split(".")[0] in ("tools", "bench")], path
    assert not [name for name in MOVED if (ROOT / name).exists()]


def test_every_tool_module_imports_cleanly() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(tools.__path__, "tools.")
        if not info.name.endswith("__main__")  # runs the build
    ]
    assert "tools.build_seed_data.topics" in modules and len(modules) >= 14
    for name in modules:
        importlib.import_module(name)


def test_the_drug_timings_report_the_95th_percentile() -> None:
    assert bench_drugs.p95([float(n) for n in range(1, 101)]) == pytest.approx(95.95)


def test_the_demo_data_build_routes_a_question_and_keeps_a_private_message_out(
    tmp_path: Path,
) -> None:
    data, out = tmp_path / "shared", tmp_path / "out"
    question = (
        "I was told my blood sugar is high and I might have type 2 diabetes. What should I "
        "eat, and how often should I check my glucose at home?"
    )
    write_jsonl(
        data / "meqsum" / "meqsum_consumer_questions.jsonl",
        [
            {"id": "meqsum-9001", "subject": "", "message": question,
             "summary": "What diet and glucose checks are advised for type 2 diabetes?"},
            {"id": "meqsum-9002", "subject": "", "message": f"{question} Write to jo@example.org",
             "summary": "How is type 2 diabetes treated with diet and insulin?"},
        ],
    )  # fmt: skip
    answer = "Type 2 diabetes is the most common form of diabetes. " * 3
    pressure = "Many adults have high blood pressure. Checking for high blood pressure is easy. "
    write_jsonl(
        data / "medquad" / "medquad_qa.jsonl",
        [
            {"id": "MPlus_1", "source": "MPlusHealthTopics", "focus": "Type 2 Diabetes",
             "url": "https://medlineplus.gov/diabetestype2.html", "qtype": "information",
             "question": "What is (are) Type 2 Diabetes ?", "answer": answer},
            {"id": "NHLBI_1", "source": "NHLBI", "focus": "High Blood Pressure",
             "url": "https://www.nhlbi.nih.gov/health/hbp", "qtype": "information",
             "question": "What is (are) High Blood Pressure ?", "answer": pressure * 2},
        ],
    )  # fmt: skip

    assert build_seed_data.main([str(data), "--out", str(out)]) == 0

    def rows(name: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (out / name).read_text().splitlines()]

    assert [(q["id"], q["topic"]) for q in rows("questions.jsonl")] == [("meqsum-9001", "diabetes")]
    assert [a["medquad_id"] for a in rows("answers.jsonl")] == ["MPlus_1"]
    assert [(r["question"], r["topic"]) for r in rows("reference_qa.jsonl")] == [
        ("What is high blood pressure?", "heart-health")
    ]
    assert json.loads((out / "topics.json").read_text())[0]["slug"] == "diabetes"


@needs_shared_data
@pytest.mark.slow
def test_the_demo_data_build_reproduces_the_shipped_demo_data(tmp_path: Path) -> None:
    assert build_seed_data.main([str(SHARED), "--out", str(tmp_path)]) == 0
    assert_same_files(tmp_path, ROOT / "forum" / "seed" / "data")


@needs_shared_data
def test_the_article_build_reproduces_the_shipped_demo_articles(tmp_path: Path) -> None:
    assert build_seed_articles.main([str(SHARED), "--out", str(tmp_path)]) == 0
    assert_same_files(tmp_path, ROOT / "forum" / "seed" / "data" / "articles")


@needs_shared_data
def test_the_drug_build_reproduces_the_shipped_drug_directory(tmp_path: Path) -> None:
    build_drug_data.main([str(SHARED), "--out", str(tmp_path)])
    assert_same_files(tmp_path, ROOT / "forum" / "drugs" / "data")


@needs_shared_data
def test_the_bench_data_build_reproduces_the_shipped_bench_data(tmp_path: Path) -> None:
    assert build_bench_data.main([str(SHARED), "--out", str(tmp_path)]) == 0
    assert_same_files(tmp_path, ROOT / "bench" / "data")


@needs_shared_data
def test_the_shipped_bench_data_gives_the_vocabulary_of_the_full_datasets() -> None:
    shipped = vocabulary.build(vocabulary.shipped_sources())
    full = vocabulary.build(vocabulary.shared_sources(SHARED))
    assert shipped.topics == full.topics and shipped.titles == full.titles
    assert shipped.openings == full.openings and shipped.sentences == full.sentences
    cancer = [a for a in shipped.articles if a.cancer]
    assert len(cancer) == 100
    for mine, theirs in zip(cancer, [a for a in full.articles if a.cancer], strict=False):
        assert (mine.title, mine.url, mine.markdown) == (
            theirs.title,
            theirs.url,
            article_body(theirs.markdown),
        )
    assert [a for a in shipped.articles if not a.cancer] == [
        a for a in full.articles if not a.cancer
    ]
