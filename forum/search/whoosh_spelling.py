"""Whoosh's "did you mean": candidates from the index's spellings, counted in visible documents.

The spelling field holds every indexed word, private groups' included (and words of deleted
documents until their segment is merged): a word counts only through the live documents
the viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh.reading import TermNotFound

from forum.search.spelling import FREQUENCY_CAP, LIMIT, MAX_DISTANCE, rank_corrections
from forum.search.whoosh_query import hidden_documents

Tokens = Callable[[str], list[str]]


def corrections(
    searcher: Any, tokens: Tokens, word: str, allowed_community_ids: frozenset[int]
) -> list[str]:
    """Words close to `word` that visible documents hold, best first (see spelling)."""
    hidden = hidden_documents(searcher, allowed_community_ids)

    def frequencies(words: list[str]) -> dict[str, int]:
        return {w: visible_frequency(searcher, tokens, w, hidden) for w in words}

    if frequencies([word])[word]:
        return []
    # Every spelling within two edits with the same first letter, as PostgreSQL's word list
    # (scanning every word for each unknown one took seconds). All of them, not the index's
    # top few: words of private groups must not crowd out public ones.
    field = searcher.schema["text"].spelling_fieldname("text")
    candidates = searcher.reader().terms_within(field, word, MAX_DISTANCE, prefix=1)
    return rank_corrections(word, candidates, frequencies, limit=LIMIT)


def visible_frequency(searcher: Any, tokens: Tokens, word: str, hidden: set[int]) -> int:
    """How many live documents the viewer may see hold the word (up to a cap)."""
    stems = tokens(word)
    if not stems:
        return 0
    try:
        # Postings skip deleted documents (doc_frequency counts them).
        matcher = searcher.reader().postings("text", stems[0])
    except TermNotFound:
        return 0
    count = 0
    for docnum in matcher.all_ids():
        if docnum not in hidden:
            count += 1
            if count >= FREQUENCY_CAP:
                break
    return count
