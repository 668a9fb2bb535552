"""Crisis wording in a post: self-harm (crisis lines) or a medical emergency (call now).

Words alone are not a crisis: "What is the maximum dose of metformin?" or "Can chest pain be a
side effect of sumatriptan?" ask for information. Each sentence is read on its own:

- a *statement* (the configured phrases and the patterns in forum/crisis_rules.py: "kill
  myself", "I took 30 of my pills", "his face is drooping") counts unless a negation comes
  just before it in the same clause;
- a *topic* word ("suicidal", "chest pain", "overdose") counts only about someone near the
  writer ("I", "my son", "she") and never in a general question ("does X cause ...");
- a medical emergency is about now: history ("five years ago") never counts, a general
  question only with "right now" or "suddenly", and a topic word only with such a "now".

forum/static/js/forum.js runs the same rules for the compose form's live panel. Measured on
real consumer questions in tests/test_safety.py.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from flask import current_app

from forum.crisis_rules import (
    CLAUSE,
    CRISIS_RESOURCES,
    EMERGENCY_RESOURCES,
    MEDICAL_EMERGENCY_RULES,
    NEGATION,
    NEGATION_WINDOW,
    PERSONAL,
    SELF_HARM_RULES,
    SENTENCE,
    CrisisKind,
    Rules,
)

# Self-harm first: a post with both gets the crisis lines (they name the emergency number).
RULES = (SELF_HARM_RULES, MEDICAL_EMERGENCY_RULES)


def phrase_pattern(phrase: str) -> str:
    """A configured phrase as a pattern: any spacing, the apostrophe optional, whole words."""
    words = [re.escape(word).replace("'", "'?") for word in phrase.lower().split()]
    return r"\s+".join(words) + r"\b" if words else ""


@dataclass(frozen=True)
class _Compiled:
    kind: CrisisKind
    statements: re.Pattern[str]
    topics: re.Pattern[str]
    informational: re.Pattern[str]
    acute: re.Pattern[str] | None
    past: re.Pattern[str] | None


@lru_cache(maxsize=16)
def _compiled(rules: Rules) -> _Compiled:
    # The text is lower-cased first, and the patterns start with a literal rather than \b:
    # the engine then skips to the places that can match instead of trying every position.
    statements = [phrase_pattern(p) for p in rules.phrases if p.strip()] + list(rules.patterns)
    return _Compiled(
        kind=rules.kind,
        statements=re.compile("|".join(statements)),
        topics=re.compile(rules.topics),
        informational=re.compile(rules.informational),
        acute=re.compile(rules.acute) if rules.acute else None,
        past=re.compile(rules.past) if rules.past else None,
    )


_PERSONAL = re.compile(PERSONAL)
_NEGATION = re.compile(NEGATION)
_CLAUSE = re.compile(CLAUSE)
_SENTENCE = re.compile(SENTENCE)


def _starts_word(text: str, index: int) -> bool:
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] in "_'")


def _word_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """Where `pattern` first matches text[start:end] from the start of a word, if it does."""
    while (match := pattern.search(text, start, end)) is not None:
        if _starts_word(text, match.start()):
            return match.start()
        start = match.start() + 1
    return None


def _found(pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> bool:
    return pattern is not None and _word_match(pattern, text, start, end) is not None


class _Reading:
    """One lower-cased text, its sentences, and what each sentence says (worked out once)."""

    def __init__(self, text: str) -> None:
        self.text = text.replace("\u2019", "'").lower()
        breaks = list(_SENTENCE.finditer(self.text))
        self.ends = [match.start() for match in breaks]
        self.starts = [match.end() for match in breaks]
        self.frames: dict[tuple[CrisisKind, int], tuple[bool, bool, bool, bool]] = {}

    def sentence(self, index: int) -> tuple[int, int, int]:
        """The number, start and end of the sentence around `index`."""
        number = bisect.bisect_right(self.ends, index)
        start = self.starts[number - 1] if number else 0
        end = self.ends[number] if number < len(self.ends) else len(self.text)
        return number, start, end

    def negated(self, index: int, sentence_start: int) -> bool:
        """A negation in the same clause just before `index` ("I don't want to die")."""
        window = self.text[max(sentence_start, index - NEGATION_WINDOW) : index]
        return _NEGATION.search(_CLAUSE.split(window)[-1]) is not None

    def frame(self, rules: _Compiled, number: int, start: int, end: int) -> tuple[bool, ...]:
        """Whether the sentence is history, a general question, about now, about someone."""
        key = (rules.kind, number)
        if key not in self.frames:
            text = self.text
            self.frames[key] = (
                _found(rules.past, text, start, end),
                _found(rules.informational, text, start, end),
                rules.acute is None or _found(rules.acute, text, start, end),
                _found(_PERSONAL, text, start, end),
            )
        return self.frames[key]

    def speaks_of(self, rules: _Compiled) -> bool:
        return self._fires(rules, rules.statements, True) or self._fires(rules, rules.topics, False)

    def _fires(self, rules: _Compiled, pattern: re.Pattern[str], is_statement: bool) -> bool:
        text, position = self.text, 0
        while (index := _word_match(pattern, text, position, len(text))) is not None:
            number, start, end = self.sentence(index)
            past, general, now, personal = self.frame(rules, number, start, end)
            if is_statement:
                # An emergency asked about in general ("what should you do if ...") is not one.
                counts = not past and (rules.acute is None or now or not general)
            else:
                counts = not past and now and not general and personal
            if not counts:
                position = end  # the rest of this sentence cannot count either
            elif self.negated(index, start):
                position = index + 1
            else:
                return True
        return False


def detect(text: str, rule_sets: tuple[Rules, ...] = RULES) -> list[CrisisKind]:
    """The kinds of crisis the text speaks of, most urgent first."""
    reading = _Reading(text)
    return [rules.kind for rules in rule_sets if reading.speaks_of(_compiled(rules))]


def configured_rules() -> tuple[Rules, ...]:
    """The rules with this site's phrase lists (FORUM_CRISIS_PHRASES, FORUM_EMERGENCY_PHRASES)."""
    config = current_app.config
    self_harm, emergency = config.get("CRISIS_PHRASES"), config.get("EMERGENCY_PHRASES")
    return (
        replace(SELF_HARM_RULES, phrases=tuple(self_harm)) if self_harm else SELF_HARM_RULES,
        replace(MEDICAL_EMERGENCY_RULES, phrases=tuple(emergency))
        if emergency
        else MEDICAL_EMERGENCY_RULES,
    )


def client_rules() -> dict[str, Any]:
    """The rules as forum/static/js/forum.js reads them for the compose form's live panel."""
    return {
        "kinds": [
            {
                "kind": rules.kind.value,
                "phrases": list(rules.phrases),
                "patterns": list(rules.patterns),
                "topics": rules.topics,
                "informational": rules.informational,
                "acute": rules.acute,
                "past": rules.past,
            }
            for rules in configured_rules()
        ],
        "personal": PERSONAL,
        "negation": NEGATION,
        "negationWindow": NEGATION_WINDOW,
        "clause": CLAUSE,
        "sentence": SENTENCE,
    }


def resources() -> dict[CrisisKind, tuple[dict[str, str], ...]]:
    """Where to turn, per kind (FORUM_CRISIS_RESOURCES, FORUM_EMERGENCY_RESOURCES)."""
    config = current_app.config
    return {
        CrisisKind.SELF_HARM: tuple(config.get("CRISIS_RESOURCES") or CRISIS_RESOURCES),
        CrisisKind.MEDICAL_EMERGENCY: tuple(
            config.get("EMERGENCY_RESOURCES") or EMERGENCY_RESOURCES
        ),
    }
