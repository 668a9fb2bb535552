"""What an interaction check finds: statements of the sources, per pair, for readers.

A statement keeps the source's words as written; its display properties correct them (see
rule_text). A pair's summary is the fixed lay sentence of its severity (never pharmacology
written per pair), with the condition the severity holds in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import SequenceMatcher

from forum.drugs.rule_text import readable, without_condition
from forum.drugs.sources import INFORMATIONAL_ONLY, SOURCES
from forum.models import Drug, Severity

# What each level means for a lay reader: a fixed sentence per severity, nothing per pair.
LAY_SUMMARIES = {
    Severity.CONTRAINDICATED: "Do not take these together.",
    Severity.HIGH: "Usually avoided; your doctor may allow it with precautions.",
    Severity.NOT_RECOMMENDED: "Usually avoided; your doctor may allow it with precautions.",
    Severity.PRECAUTION: "Can be taken together with precautions, such as a dose change or tests.",
    Severity.TAKE_INTO_ACCOUNT: "Be aware of it; your doctor or pharmacist takes it into account.",
    Severity.UNSPECIFIED: "The source does not say how serious this is; ask your pharmacist.",
}
# Two statements of one source whose texts are this alike (letters only) are one rule.
SAME_RULE_RATIO = 0.9


@dataclass(frozen=True)
class Medicine:
    """One medicine to check, under the name the member knows it by (no drug: unknown)."""

    label: str
    drug: Drug | None = None

    @property
    def is_checkable(self) -> bool:
        return self.drug is not None and self.drug.has_interaction_data


@dataclass(frozen=True)
class Statement:
    """What one source says about a pair."""

    source: str
    ref: str
    severity: Severity
    mechanism: str
    advice: str
    source_date: date | None
    # How the rule reached the medicines: "contains X", "X is one of: <class>".
    via: tuple[str, ...] = ()
    # The case the severity holds in, as the source wrote it ("" for always).
    condition: str = ""
    # The references of the same rule listed again by the source.
    also: tuple[str, ...] = ()

    @property
    def refs(self) -> tuple[str, ...]:
        return (self.ref, *self.also)

    @property
    def condition_text(self) -> str:
        """The condition for readers, to follow "only when:" ("for doses of ...")."""
        text = readable(self.condition) if self.condition else ""
        return text[:1].lower() + text[1:] if text[1:2].islower() else text

    @property
    def risk(self) -> str:
        """The source's risk text for readers (without the condition it opened with)."""
        return readable(without_condition(self.mechanism, self.condition))

    @property
    def what_to_do(self) -> str:
        return readable(without_condition(self.advice, self.condition))

    @property
    def via_text(self) -> tuple[str, ...]:
        return tuple(readable(reason) for reason in self.via)

    @property
    def source_name(self) -> str:
        return SOURCES[self.source].name

    @property
    def source_date_label(self) -> str:
        return SOURCES[self.source].date_label


@dataclass
class PairFinding:
    first: Medicine
    second: Medicine
    statements: list[Statement] = field(default_factory=list)

    @property
    def severity(self) -> Severity:
        return max((s.severity for s in self.statements), key=lambda s: s.rank)

    @property
    def condition(self) -> str:
        """When the pair's severity holds ("" for always), for readers."""
        return self.statements[0].condition_text

    @property
    def otherwise(self) -> Statement | None:
        """When the most severe statement has a condition: the most severe one without."""
        if not self.condition:
            return None
        return next((s for s in self.statements[1:] if not s.condition), None)

    @property
    def summary(self) -> str:
        """The pair in plain language: the level's fixed sentence, and its condition."""
        lead = LAY_SUMMARIES[self.severity]
        if not self.condition:
            return lead
        text = f"In this case — {self.condition} — {_lower_first(lead)}"
        if self.otherwise is not None:
            return f"{text} In other cases: {_lower_first(LAY_SUMMARIES[self.otherwise.severity])}"
        if len(self.statements) > 1:
            return f"{text} In other cases: see each statement below."
        return f"{text} In other cases, these sources do not say: ask your pharmacist."


@dataclass
class InteractionReport:
    pairs: list[PairFinding]
    unchecked: list[Medicine]
    # Two medicines sharing an ingredient: (first, second, the shared ingredients' names).
    duplicates: list[tuple[Medicine, Medicine, str]]
    checked: list[Medicine]
    notice: str = INFORMATIONAL_ONLY

    @property
    def is_clear(self) -> bool:
        """Nothing found among the medicines that could be checked."""
        return not self.pairs and not self.duplicates


def add_statement(pair: PairFinding, statement: Statement) -> None:
    """Add a statement to a pair, or only its reference when the pair has that rule already."""
    for n, known in enumerate(pair.statements):
        if _is_same_rule(known, statement):
            if statement.ref not in known.refs:
                pair.statements[n] = replace(known, also=(*known.also, statement.ref))
            return
    pair.statements.append(statement)


def _is_same_rule(first: Statement, second: Statement) -> bool:
    """One source's rule listed twice: same level, condition and (near) same words."""
    if (first.source, first.severity) != (second.source, second.severity):
        return False
    pairs = ((first.mechanism, second.mechanism), (first.condition, second.condition))
    return all(_alike(a, b) for a, b in pairs)


def _alike(first: str, second: str) -> bool:
    a, b = _letters(first), _letters(second)
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_RULE_RATIO


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
