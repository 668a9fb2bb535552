"""The search box's language, parsed so that no input can fail: words, "phrases", -exclusions.

Length and term count are capped before parsing. Wildcards may only end a word (``diab*``),
field syntax (``community_id:3``) is just two words, operators other than a leading ``-`` or
``NOT`` are ignored, and unbalanced quotes or parentheses are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 256
MAX_TERMS = 32
MAX_WORD = 40
MIN_PREFIX = 3

# PostgreSQL's English stop list, so both backends ignore the same words.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
    """.split()  # noqa: SIM905 - laid out like PostgreSQL's english.stop, to compare
)

WORD_PATTERN = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN_PATTERN = re.compile(r'(?P<neg>[-!]?)"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+)')
_OPERATORS = frozenset({"AND", "OR", "&&", "||", "+"})
_NEGATIONS = frozenset({"NOT", "!"})


@dataclass(frozen=True)
class Clause:
    """One part of a query: a word, a "quoted phrase" or a prefix, maybe excluded."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False
    negated: bool = False

    def render(self) -> str:
        text = " ".join(self.words)
        if self.phrase:
            text = f'"{text}"'
        elif self.prefix:
            text += "*"
        return f"-{text}" if self.negated else text


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def text(self) -> str:
        """The query as understood, in the search box's own syntax."""
        return " ".join(clause.render() for clause in self.clauses)

    @property
    def is_empty(self) -> bool:
        """True when nothing would match: no word to look for, only exclusions or nothing."""
        return not any(not c.negated and _has_content(c) for c in self.clauses)

    @property
    def reads_as_sentence(self) -> bool:
        """Typed as a sentence ("how do you check for lupus"), not as keywords: it has
        words too common to search for."""
        return any(word in STOP_WORDS for c in self.clauses if _is_plain(c) for word in c.words)

    def replace_words(self, corrections: dict[str, str]) -> ParsedQuery:
        """The same query with some plain words replaced (for "did you mean")."""
        clauses = tuple(
            Clause(
                tuple(corrections.get(w, w) for w in c.words) if _is_plain(c) else c.words,
                c.phrase,
                c.prefix,
                c.negated,
            )
            for c in self.clauses
        )
        return ParsedQuery(clauses)


def _is_plain(clause: Clause) -> bool:
    return not (clause.phrase or clause.prefix or clause.negated)


def _has_content(clause: Clause) -> bool:
    return clause.prefix or any(word not in STOP_WORDS for word in clause.words)


def clean(raw: str) -> str:
    """Cap the length, then drop control characters (NUL included) and odd whitespace."""
    text = unicodedata.normalize("NFKC", raw[:MAX_LENGTH])[:MAX_LENGTH]
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if text.count('"') % 2:
        head, _, tail = text.rpartition('"')
        text = head + " " + tail
    return text


def words_of(text: str) -> list[str]:
    """The lower-case words of a text, each at most MAX_WORD characters."""
    return [word[:MAX_WORD] for word in WORD_PATTERN.findall(text.lower())]


def parse(raw: str) -> ParsedQuery:
    """Parse what a user typed; never raises."""
    clauses: list[Clause] = []
    budget = MAX_TERMS
    negate_next = False
    for match in _TOKEN_PATTERN.finditer(clean(raw)):
        if budget <= 0:
            break
        if match["phrase"] is not None:
            clause = _phrase_clause(match["phrase"], bool(match["neg"]) or negate_next, budget)
        else:
            token = match["word"]
            if token in _OPERATORS:
                continue
            if token in _NEGATIONS:
                negate_next = True
                continue
            clause = _word_clause(token, negate_next, budget)
        negate_next = False
        if clause is not None:
            clauses.append(clause)
            budget -= len(clause.words)
    return ParsedQuery(tuple(clauses))


def _phrase_clause(text: str, negated: bool, budget: int) -> Clause | None:
    words = tuple(words_of(text)[:budget])
    if not words:
        return None
    return Clause(words, phrase=len(words) > 1, negated=negated)


def _word_clause(token: str, negated: bool, budget: int) -> Clause | None:
    if token[0] in "-!" and len(token) > 1:
        negated, token = True, token[1:]
    core = token.strip("()[]{}<>.,;:!?'")
    words = tuple(words_of(core)[:budget])
    if not words:
        return None
    # Only a trailing wildcard on one plain word of a few letters is a prefix search.
    is_prefix = (
        core.endswith("*")
        and len(words) == 1
        and WORD_PATTERN.fullmatch(core[:-1]) is not None
        and len(words[0]) >= MIN_PREFIX
    )
    return Clause(words, phrase=len(words) > 1, prefix=is_prefix, negated=negated)
