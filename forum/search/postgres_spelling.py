"""PostgreSQL's "did you mean": candidates from the word list, counted in visible documents.

The search_word list holds every indexed word, private groups' included (and words of
documents since deleted): a word counts only through the documents the viewer may see.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, literal, select

from forum.extensions import db
from forum.models import SearchWord
from forum.search.postgres_query import CONFIG, D, visible_documents
from forum.search.spelling import FREQUENCY_CAP, LIMIT, rank_corrections

# Candidates read from the word list per correction (same first letter, similar length).
VOCABULARY_ROWS = 5000


def corrections(word: str, allowed_community_ids: frozenset[int]) -> list[str]:
    """Words close to `word` that visible documents hold, best first (see spelling)."""
    if not word.isalpha():
        return []
    session = db.session

    def frequencies(words: list[str]) -> dict[str, int]:
        return visible_counts(words, allowed_community_ids)

    # A word in no document at all needs no count: the planner guesses such a word matches
    # many rows and scanned the whole table looking for the first (60 ms on 20,000 threads).
    if session.get(SearchWord, word) is not None and frequencies([word])[word]:
        return []
    rows = session.execute(
        select(SearchWord.word)
        .where(SearchWord.word >= word[0], SearchWord.word < chr(ord(word[0]) + 1))
        .where(func.length(SearchWord.word).between(len(word) - 2, len(word) + 2))
        .order_by(SearchWord.count.desc())
        .limit(VOCABULARY_ROWS)
    ).scalars()
    candidates = [found for found in rows if found.startswith(word[0])]
    return rank_corrections(word, candidates, frequencies, limit=LIMIT)


def visible_counts(words: Sequence[str], allowed_community_ids: frozenset[int]) -> dict[str, int]:
    """How many documents the viewer may see hold each word (up to a cap), in one query."""
    if not words:
        return {}
    counts = []
    for word in words:
        holding = (
            select(literal(1))
            .where(
                visible_documents(allowed_community_ids),
                D.search_vector.op("@@")(func.websearch_to_tsquery(CONFIG, word)),
            )
            .limit(FREQUENCY_CAP)
            .subquery()
        )
        counts.append(select(func.count()).select_from(holding).scalar_subquery())
    row = db.session.execute(select(*counts)).one()
    return dict(zip(words, row, strict=True))
