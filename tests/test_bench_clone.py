"""`make bench` and `make search-eval` work from a plain clone: the repository alone, no ../shared.

The repository's files (tracked and new, as `git ls-files` lists them) are copied to a
temporary folder with nothing beside it, and the project's Python runs there with no FORUM_*
variable set: the benchmark's smoke test, a tiny search evaluation, and the one-line error
of a missing input.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# SQLite only, and once per CI run: the copied smoke test does not depend on the database.
pytestmark = [pytest.mark.sqlite, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
NOT_IN_A_CLONE = {
    ".git", ".venv", "instance", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
    "screenshots", "health_forum.egg-info",
}  # fmt: skip


def repository_files() -> list[Path]:
    """What a clone holds: tracked and new (not ignored) files; without git, the tree."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return [
            path.relative_to(ROOT)
            for path in ROOT.rglob("*")
            if path.is_file() and not NOT_IN_A_CLONE & set(path.relative_to(ROOT).parts)
        ]
    names = [Path(name) for name in listed.decode().split("\0") if name]
    return [name for name in names if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plain-clone") / "forum"
    for name in repository_files():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, folder / name)
    assert not (folder.parent / "shared").exists()
    return folder


def run(clone: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The project's Python in the clone, without FORUM_* settings or PYTHONPATH."""
    plain = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    plain.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, *args], cwd=clone, env={**plain, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_clone_runs_its_own_code(clone: Path) -> None:
    result = run(clone, "-c", "import bench, forum, tools; print(bench.__file__, forum.__file__)")
    assert result.returncode == 0, result.stderr
    assert all(Path(path).is_relative_to(clone) for path in result.stdout.split())


def test_the_benchmark_smoke_test_passes_in_a_plain_clone(clone: Path) -> None:
    result = run(clone, "-m", "pytest", "tests/test_bench_smoke.py", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout


def test_a_tiny_search_evaluation_runs_in_a_plain_clone(clone: Path, tmp_path: Path) -> None:
    out = tmp_path / "search-eval.md"
    result = run(
        clone, "-m", "bench.search_eval", "--rows", "150", "--max-queries", "8", "--out", str(out)
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    report = out.read_text(encoding="utf-8")
    # 16 questions, split for good into a tuning part and a held-out part.
    assert "| tuning | All | 12 | forum, Whoosh |" in report
    assert "| held-out | All | 4 | forum, Whoosh |" in report
    assert "150 of 6947 (spread over the file) MedQuAD rows imported" in report


def test_a_missing_input_stops_the_evaluation_with_one_line_and_status_2(clone: Path) -> None:
    result = run(clone, "-m", "bench.search_eval", "--medquad", "bench/data/gone.jsonl.gz")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("bench: missing input file bench/data/gone.jsonl.gz (looked")
    assert "python -m tools.build_bench_data" in result.stderr


def test_a_shared_folder_without_the_data_stops_the_benchmark_with_one_line(
    clone: Path, tmp_path: Path
) -> None:
    result = run(
        clone, "-m", "bench.run", "--size", "tiny", "--no-load",
        FORUM_BENCH_SHARED_DATA=str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"missing input file {tmp_path}/icd10cm_categories/" in result.stderr
    assert "point FORUM_BENCH_SHARED_DATA at a folder that has it" in result.stderr
    assert not (clone / "instance" / "bench").exists()
