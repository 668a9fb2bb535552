"""`flask import pills PATH...`: read SPL labels from XML files, folders and DailyMed zips.

DailyMed's label archives are zips of zips (one inner zip per label: its XML and images).
Both levels are read as streams, member by member: nothing is extracted to disk. A file that
cannot be read is listed and skipped; every label is stored in its own transaction, so an
interrupted import keeps what it stored and a rerun skips it (same set id and version).
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.pills import services
from forum.pills.services import Outcome
from forum.pills.spl import BadLabel, read_label

SAMPLES_DIR = Path(__file__).resolve().parent / "data" / "labels"
READABLE = (".xml", ".zip")
# An inner zip is read into memory (a DailyMed label zip is a few megabytes at most).
MAX_INNER_ZIP = 256 * 1024 * 1024


class Tally(Protocol):
    def add(self, what: str, count: int = 1) -> None: ...


@dataclass
class ImportReport:
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    bad: list[tuple[str, str]] = field(default_factory=list)

    @property
    def labels_read(self) -> int:
        return sum(self.outcomes.values())

    @property
    def stored(self) -> int:
        return self.outcomes[Outcome.NEW] + self.outcomes[Outcome.UPDATED]

    def summary(self) -> str:
        counts = ", ".join(f"{self.outcomes[o]} {o.value}" for o in Outcome)
        bad = len(self.bad)
        return f"{self.labels_read} labels read ({counts}); {bad} bad file{'s' * (bad != 1)}"


def _is_readable(name: str) -> bool:
    return name.lower().endswith(READABLE)


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    """The paths, with folders replaced by the XML and zip files inside them (sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and _is_readable(p.name))
        else:
            yield path


def count_units(paths: Sequence[Path]) -> int:
    """The progress bar's length: files, and each XML or zip inside a zip."""
    total = 0
    for path in _files(paths):
        if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                total += sum(1 for name in archive.namelist() if _is_readable(name)) or 1
        else:
            total += 1
    return total


def _store(report: ImportReport, name: str, stream: IO[bytes]) -> None:
    try:
        label = read_label(stream)
    except BadLabel as error:
        report.bad.append((name, str(error)))
        return
    try:
        report.outcomes[services.import_label(label)] += 1
    except SQLAlchemyError as error:
        db.session.rollback()
        report.bad.append((name, f"could not be stored ({type(error).__name__})"))


def _read_inner_zip(report: ImportReport, name: str, data: bytes) -> None:
    """A label zip inside an archive: its XML files (the images are skipped)."""
    with zipfile.ZipFile(io.BytesIO(data)) as inner:
        members = [m for m in inner.namelist() if m.lower().endswith(".xml")]
        if not members:
            report.bad.append((name, "no XML file inside"))
        for member in members:
            with inner.open(member) as stream:
                _store(report, f"{name}!{member}", stream)


def _read_zip(report: ImportReport, path: Path, tick: Callable[[], None]) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [i for i in archive.infolist() if _is_readable(i.filename) and not i.is_dir()]
        if not members:
            report.bad.append((path.name, "no XML or zip file inside"))
            tick()
        for info in members:
            name = f"{path.name}!{info.filename}"
            try:
                if info.filename.lower().endswith(".xml"):
                    with archive.open(info) as stream:
                        _store(report, name, stream)
                elif info.file_size > MAX_INNER_ZIP:
                    report.bad.append((name, "inner zip too large"))
                else:
                    _read_inner_zip(report, name, archive.read(info))
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
                report.bad.append((name, f"unreadable zip member ({error})"))
            tick()


def import_paths(paths: Sequence[Path], on_unit: Callable[[], None] | None = None) -> ImportReport:
    """Read every label under the paths into the identifier; bad files are listed, skipped."""
    report = ImportReport()
    tick = on_unit or (lambda: None)
    for path in _files(paths):
        try:
            if path.suffix.lower() == ".zip":
                if zipfile.is_zipfile(path):
                    _read_zip(report, path, tick)
                    continue
                raise zipfile.BadZipFile("not a zip file")
            with path.open("rb") as stream:
                _store(report, str(path), stream)
        except (zipfile.BadZipFile, OSError) as error:
            report.bad.append((str(path), f"unreadable ({error})"))
        tick()
    return report


def import_samples(tally: Tally | None = None) -> ImportReport:
    """The three real labels shipped in forum/pills/data/labels (the demo's pills)."""
    report = import_paths([SAMPLES_DIR])
    if tally is not None and report.stored:
        tally.add("pill labels", report.stored)
    return report
