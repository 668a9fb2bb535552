"""What a long message asks: its focus, its question type, and a query that weighs them most.

People paste what worries them, not keywords: "My mother is 78 and was told she has atrial
fibrillation, she already takes warfarin, is it safe for her to have her teeth pulled?" Every
word of such a message counted alike found threads about mothers and teeth. Here a long
message (see `is_long`) is read before the index sees it:

* greetings, thanks and signatures are dropped;
* the focus is the condition, drug or test it names (the longest phrases of a dictionary
  built from MedQuAD's focus names, ICD-10-CM categories and consumer drug names, see
  tools/build_search_understanding.py);
* the question type (treatment, symptoms, causes, ...) comes from the words that ask it, and
  adds the words answers of that type are titled with ("What are the treatments for ...");
* every other word weighs what it is worth in a question: how often such a word survives
  when an expert sums a consumer's message up in one line (MeQSum). Story words ("mother",
  "years", "doctor") weigh little; only the few best are kept.

Short queries never come here: they are searched word for word as typed (see services).

Every indexed title is read the same way (see `title_subject`): a thread's focus and question
type are fields of its search document, and a long question ranks the threads whose focus it
names higher, those of its question type too highest (see `SubjectMatch`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from forum.search.backend import SubjectMatch, Unit, plan
from forum.search.query import STOP_WORDS, Clause, ParsedQuery, words_of
from forum.search.synonyms import SynonymTable, stem_key

HERE = Path(__file__).resolve().parent
FOCUS_FILE = HERE / "understanding_focus.txt"
WORDS_FILE = HERE / "understanding_words.txt"

# A message with more words than this (and no search syntax) is read as a question.
LONG_WORDS = 12
# How much more a focus and a question-type word count than a plain word of the message.
FOCUS_WEIGHT = 3.0
QTYPE_WEIGHT = 1.5
# Other words: their MeQSum survival rate (smoothed towards PRIOR), and at most this many.
PRIOR = 0.3
PRIOR_STRENGTH = 2.0
UNSEEN_WEIGHT = 0.5
MIN_WORD_WEIGHT = 0.1
OTHER_WORDS = 8
MAX_FOCI = 2
MAX_QTYPES = 2
# A one-word focus must be this specific: a word kept in at least this share of summaries
# (or one too rare in MeQSum to say).
MIN_FOCUS_SURVIVAL = 0.25

# Question types: the words that ask them, and the words that answers of that type are titled
# with (the MedQuAD question patterns). General English, not tuned to any test question.
QTYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "treatment": (
        r"treat|cure|therap|remed|medicin|medication for|what (can|should) (i|we|he|she) do"
        r"|how (can|do|to|should) (i|we|you)? ?(get rid|stop|fix|lower|reduce|heal|manage)",
        ("treatments",),
    ),
    "side effects": (r"side ?effect|adverse|reaction to", ("side effects",)),
    "dosage": (r"\bdos(e|es|age|ing)\b|how (much|many|often) .{0,20}(take|mg)|\bmg\b", ("dose",)),
    "interaction": (
        r"interact|together with|along with|at the same time|combin|mix(ing)? with",
        ("interactions",),
    ),
    "symptoms": (r"symptom|\bsigns?\b", ("symptoms",)),
    "causes": (r"\bcaus|why (do|does|did|am|is|are|would)|reason for", ("causes",)),
    "prognosis": (
        r"prognosis|outlook|life expectancy|surviv|how long (will|does|do|can)|go away|recover",
        ("outlook",),
    ),
    "prevention": (r"prevent|avoid|keep from|reduce the risk", ("prevent",)),
    "diagnosis": (r"diagnos|\btest(s|ing|ed)?\b|detect|screen|\bexams?\b", ("diagnose",)),
    "inheritance": (r"inherit|heredit|genetic|pass(ed)? (it )?(on|down)", ("inherited",)),
    "information": (r"what is|what are|information|\binfo\b|learn (about|more)|tell me", ()),
}
_QTYPE_PATTERNS = {name: re.compile(cue) for name, (cue, _) in QTYPES.items()}
# Greetings that open a message, thanks and sign-offs that close it.
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings)\b"
    r"([^,.!?:;]{0,30}[,.!:;]|[\s,.!:-]*)",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(\b(thanks?( you)?( so much| very much| in advance)?|many thanks|regards|best wishes"
    r"|sincerely|respectfully|god bless|sent from my \w+)\b[\s\S]{0,80})$",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"\S+@\S+|\+?\d[\d ().-]{7,}\d|https?://\S+")
_SYNTAX = re.compile(r'"|(^|\s)[-!]\w|\w\*|\b(AND|OR|NOT)\b')


def focus_keys(focus: Iterable[Sequence[str]]) -> list[str]:
    """Focus phrases as stored and compared: their word stems ("atrial fibril"), leaving out
    those that only name a question type ("symptoms" is in the dictionary too)."""
    keys = [stem_key(list(phrase)) for phrase in focus]
    return [" ".join(key) for key in keys if not set(key) <= _qtype_stems()]


@functools.cache
def _qtype_stems() -> frozenset[str]:
    return frozenset(
        stem_key([w for _, (_, words) in QTYPES.items() for w in " ".join(words).split()])
    )


def title_subject(title: str) -> tuple[str, str]:
    """A title's focus key and question type ("" when none), read as questions are:
    "What are the treatments for Atrial Fibrillation ?" -> ("atrial fibril", "treatment")."""
    words = words_of(title)
    if not words:
        return "", ""
    keys = focus_keys(find_focus(words, [stem_key([w])[0] for w in words]))
    qtypes = question_types(" ".join(words))
    return (keys[0] if keys else ""), (qtypes[0] if qtypes else "")


@dataclass(frozen=True)
class Understood:
    """What a message asks, and the weighted query made of it."""

    focus: tuple[tuple[str, ...], ...]
    qtypes: tuple[str, ...]
    words: tuple[tuple[str, float], ...]

    @property
    def text(self) -> str:
        """The query as understood, in the search box's syntax (focus phrases quoted)."""
        parts = [f'"{" ".join(f)}"' if len(f) > 1 else f[0] for f in self.focus]
        parts += [words for name in self.qtypes for words in QTYPES[name][1]]
        parts += [word for word, _ in self.words]
        return " ".join(dict.fromkeys(parts))

    @property
    def subject(self) -> SubjectMatch:
        """The documents this question rewards: those about its focus (see title_subject)."""
        keys = focus_keys(self.focus)
        return SubjectMatch(frozenset(keys), frozenset(self.qtypes)) if keys else SubjectMatch()

    @property
    def parsed(self) -> ParsedQuery:
        return ParsedQuery(tuple(clause for clause, _ in self._clauses()))

    def _clauses(self) -> list[tuple[Clause, float]]:
        clauses = [(Clause(f), FOCUS_WEIGHT) for f in self.focus]
        for name in self.qtypes:
            for words in QTYPES[name][1]:
                clauses.append((Clause(tuple(words.split())), QTYPE_WEIGHT))
        clauses += [(Clause((word,)), weight) for word, weight in self.words]
        return clauses

    def units(self, synonyms: SynonymTable) -> tuple[Unit, ...]:
        """The engine's units, each weighted (a focus phrase keeps its synonyms)."""
        units: list[Unit] = []
        for clause, weight in self._clauses():
            for unit in plan(ParsedQuery((clause,)), synonyms):
                units.append(replace(unit, weight=weight))
        return tuple(units)


def is_long(raw: str) -> bool:
    """A message to understand: many words, and none of the search box's syntax."""
    return len(words_of(raw)) > LONG_WORDS and _SYNTAX.search(raw) is None


def strip_padding(raw: str) -> str:
    """The message without its greeting, sign-off and contact details."""
    text = _CONTACT.sub(" ", " ".join(raw.split()))
    text = _GREETING.sub("", text, count=1)
    stripped = _SIGN_OFF.sub("", text).strip()
    return stripped if len(words_of(stripped)) >= 3 else text


def understand(raw: str) -> Understood:
    text = strip_padding(raw)
    words = words_of(text)
    stems = [stem_key([w])[0] for w in words]
    focus = find_focus(words, stems)
    lower = " ".join(words)
    qtypes = question_types(lower)
    in_focus = {s for phrase in focus for s in stem_key(phrase)}
    asked = {s for name in qtypes for words_ in QTYPES[name][1] for s in stem_key(words_.split())}
    weights = word_weights()
    scored: dict[str, tuple[float, int]] = {}
    for position, (word, word_stem) in enumerate(zip(words, stems, strict=True)):
        if word in STOP_WORDS or word_stem in in_focus or word_stem in asked or len(word) < 2:
            continue
        if word.isdigit():
            continue
        weight = weights.get(word_stem, UNSEEN_WEIGHT)
        if weight >= MIN_WORD_WEIGHT and word_stem not in {stem_key([w])[0] for w in scored}:
            scored[word] = (weight, position)
    best = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1]))[:OTHER_WORDS]
    ordered = sorted(best, key=lambda item: item[1][1])
    return Understood(focus, qtypes, tuple((word, weight) for word, (weight, _) in ordered))


def question_types(text: str) -> tuple[str, ...]:
    """The types a message asks, in the order it asks them; "information" (what every
    message asks) only when no other type is asked."""
    found = sorted(
        (match.start(), name)
        for name, pattern in _QTYPE_PATTERNS.items()
        if (match := pattern.search(text)) is not None
    )
    names = [name for _, name in found]
    specific = [name for name in names if name != "information"]
    return tuple(specific[:MAX_QTYPES] or names[:1])


def find_focus(words: Sequence[str], stems: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The longest dictionary phrases in the message, most specific first (at most MAX_FOCI)."""
    lexicon, longest = focus_lexicon()
    weights = word_weights()
    found: dict[tuple[str, ...], tuple[int, int, int]] = {}
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            key = tuple(stems[start : start + size])
            if key not in lexicon:
                continue
            phrase = tuple(words[start : start + size])
            if size == 1 and (
                phrase[0] in STOP_WORDS or weights.get(key[0], 1.0) < MIN_FOCUS_SURVIVAL
            ):
                continue
            count, _, first = found.get(phrase, (0, size, start))
            found[phrase] = (count + 1, size, first)
            start += size - 1
            break
        start += 1
    ranked = sorted(found.items(), key=lambda item: (-item[1][1], -item[1][0], item[1][2]))
    chosen: list[tuple[str, ...]] = []
    for phrase, _ in ranked:
        covered = {s for c in chosen for s in stem_key(c)}
        if not set(stem_key(phrase)) <= covered:
            chosen.append(phrase)
        if len(chosen) == MAX_FOCI:
            break
    return tuple(chosen)


@functools.cache
def focus_lexicon() -> tuple[frozenset[tuple[str, ...]], int]:
    """The stem keys of every focus phrase, and the longest phrase's length."""
    keys = set(_phrase_keys(_data_lines(FOCUS_FILE)))
    return frozenset(keys), max((len(k) for k in keys), default=1)


def _phrase_keys(lines: Iterable[str]) -> Iterable[tuple[str, ...]]:
    for line in lines:
        words = words_of(line.split("\t", 1)[0])
        if words:
            yield stem_key(words)


@functools.cache
def word_weights() -> dict[str, float]:
    """Each word stem's weight: its smoothed survival rate into MeQSum's summaries."""
    weights = {}
    for line in _data_lines(WORDS_FILE):
        word_stem, seen, kept = line.split("\t")
        weights[word_stem] = (int(kept) + PRIOR * PRIOR_STRENGTH) / (int(seen) + PRIOR_STRENGTH)
    return weights


def _data_lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        return [line.rstrip("\n") for line in lines if line.strip() and not line.startswith("#")]
