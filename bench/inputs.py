"""The files the benchmark and the search evaluation read, and one clear line when one is missing.

They ship in the repository: `bench/data/` (built by `python -m tools.build_bench_data` from
the public datasets, see bench/data/ATTRIBUTION.md) and the demo content in `forum/seed/data/`.
FORUM_BENCH_SHARED_DATA may name a full copy of the shared data folder to read instead.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SHARED_VARIABLE = "FORUM_BENCH_SHARED_DATA"
REBUILD = "python -m tools.build_bench_data /path/to/shared/data"
MISSING_STATUS = 2


class InputMissing(Exception):
    """An input file is missing or unreadable; the message is the one line to show."""


def shared_folder() -> Path | None:
    """The full shared data folder named by FORUM_BENCH_SHARED_DATA, if set."""
    value = os.environ.get(SHARED_VARIABLE, "").strip()
    return Path(value) if value else None


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _where(path: Path) -> str:
    """The file as the repository names it, and the absolute path that was looked for."""
    shown = _shown(path)
    return shown if shown == str(path) else f"{shown} (looked for {path})"


def how_to_get(path: Path) -> str:
    """How to get a missing input back, by where it was looked for."""
    shared = shared_folder()
    if path.is_relative_to(DATA):
        return f"restore it with `git checkout -- {_shown(path)}` or rebuild it with `{REBUILD}`"
    if path.is_relative_to(ROOT):
        return f"restore it with `git checkout -- {_shown(path)}`"
    if shared is not None and path.is_relative_to(shared.resolve()):
        return f"point {SHARED_VARIABLE} at a folder that has it, or unset it to use bench/data/"
    return "check the path given on the command line (the defaults ship in bench/data/)"


def find(folder: Path, name: str) -> Path:
    """`name` in the folder, or its `.gz` sibling (the form bench/data/ ships)."""
    path, packed = folder / name, folder / f"{name}.gz"
    if path.exists():
        return path
    return packed if packed.exists() or folder.resolve().is_relative_to(DATA) else path


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _read(path: Path, parse: Callable[[IO[str]], Any]) -> Any:
    try:
        with _open(path) as handle:
            return parse(handle)
    except FileNotFoundError:
        where = path.resolve()
        raise InputMissing(f"missing input file {_where(where)}: {how_to_get(where)}") from None
    except (OSError, EOFError, ValueError) as error:  # gzip, UTF-8 and JSON errors included
        where = path.resolve()
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputMissing(
            f"unreadable input file {_where(where)}: {reason}; {how_to_get(where)}"
        ) from None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON-lines file, plain or gzip-compressed."""
    return list(_read(path, lambda lines: [json.loads(line) for line in lines if line.strip()]))


def read_json(path: Path) -> Any:
    return _read(path, json.load)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(_read(path, lambda rows: list(csv.DictReader(rows))))


def exit_on_missing_input(main: Callable[[], int]) -> int:
    """Run a command; a missing or unreadable input ends it with one line and status 2."""
    try:
        return main()
    except InputMissing as error:
        print(f"bench: {error}", file=sys.stderr)
        return MISSING_STATUS
