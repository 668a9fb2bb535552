"""Demo content for `flask seed demo`, built from real public-domain health data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file, one a line (none when the file is missing)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
