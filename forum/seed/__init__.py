"""Demo content for `flask seed demo`, built from real public-domain health data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")


@dataclass
class SeedReport:
    """What a seeding step created, counted by kind (printed by `flask seed`)."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count

    def summary(self) -> str:
        if not self.created:
            return "nothing new"
        return ", ".join(f"{count} {what}" for what, count in sorted(self.created.items()))


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file, one a line (none when the file is missing)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
