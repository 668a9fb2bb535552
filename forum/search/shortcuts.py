"""Answers above the search hits: the drug page or health center a query names, and the
interaction check when it names two medicines ("Can I take ibuprofen with lisinopril").

Drugs and health centers are public, so nothing here depends on who is searching. Names
are matched as whole words of the query (runs of up to four words), one SQL query each.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from forum.drug_names import drugs_named, normalize
from forum.extensions import db
from forum.models import HealthTopic, NameKind
from forum.search.query import STOP_WORDS, WORD_PATTERN

LONGEST_NAME = 4  # words in the longest drug or health topic name looked for
MAX_WORDS = 40
MAX_DRUGS = 5  # an interaction check of more than this is for the checker page


@dataclass(frozen=True)
class DrugShortcut:
    """A drug named in the query, by the name typed ("Lipitor" leads to Atorvastatin)."""

    typed: str
    name: str
    slug: str
    is_brand: bool

    @property
    def is_other_name(self) -> bool:
        return normalize(self.typed) != normalize(self.name)


@dataclass(frozen=True)
class TopicShortcut:
    name: str
    slug: str
    summary: str


@dataclass(frozen=True)
class Shortcuts:
    drugs: tuple[DrugShortcut, ...] = ()
    topic: TopicShortcut | None = None

    @property
    def drug(self) -> DrugShortcut | None:
        """The drug page to put first: only when the query names exactly one drug."""
        return self.drugs[0] if len(self.drugs) == 1 else None

    @property
    def interaction_drugs(self) -> tuple[DrugShortcut, ...]:
        """The medicines to offer an interaction check for: two or more named."""
        return self.drugs if len(self.drugs) > 1 else ()

    @property
    def is_empty(self) -> bool:
        return not (self.drugs or self.topic)


def find_shortcuts(text: str) -> Shortcuts:
    """The drugs and the health center a search names, if any."""
    words = [word.lower() for word in WORD_PATTERN.findall(text)][:MAX_WORDS]
    if not words or all(word in STOP_WORDS for word in words):
        return Shortcuts()
    spans = _spans(words)
    return Shortcuts(_drugs(words, spans), _topic(spans))


def _spans(words: list[str]) -> dict[str, int]:
    """Every run of up to LONGEST_NAME words that does not start or end with a stop word,
    with the position where it first starts."""
    spans: dict[str, int] = {}
    for start in range(len(words)):
        for end in range(start + 1, min(start + LONGEST_NAME, len(words)) + 1):
            run = words[start:end]
            if run[0] in STOP_WORDS or run[-1] in STOP_WORDS:
                continue
            spans.setdefault(" ".join(run), start)
    return spans


def _drugs(words: list[str], spans: dict[str, int]) -> tuple[DrugShortcut, ...]:
    """The drugs named, in the order typed, longest name first where names overlap.

    A query that is just a name finds any name of a listed drug; names inside a longer
    query must be linkable ones (not everyday words, see DrugName.is_linkable)."""
    whole = " ".join(words)
    found = drugs_named(set(spans) | {normalize(whole)}, any_name=whole)
    ordered = sorted(found, key=lambda key: (spans.get(key, 0), -len(key)))
    drugs: dict[int, DrugShortcut] = {}
    covered: set[int] = set()
    for key in ordered:
        start = spans.get(key, 0)
        positions = set(range(start, start + len(key.split())))
        name, kind, drug = found[key]
        if positions & covered or drug.id in drugs:
            continue
        covered |= positions
        drugs[drug.id] = DrugShortcut(name, drug.name, drug.slug, kind == NameKind.BRAND)
    return tuple(drugs.values())[:MAX_DRUGS]


def _topic(spans: dict[str, int]) -> TopicShortcut | None:
    """The health center whose name the query holds (the longest name if several)."""
    if not spans:
        return None
    name_key = func.lower(HealthTopic.name)
    row = db.session.execute(
        select(HealthTopic.name, HealthTopic.slug, HealthTopic.summary)
        .where(name_key.in_(list(spans)))
        .order_by(func.length(HealthTopic.name).desc(), HealthTopic.id)
        .limit(1)
    ).first()
    return TopicShortcut(*row) if row else None
