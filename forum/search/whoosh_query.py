"""Whoosh's side of search: the schema, the scoring, plans turned into Whoosh queries, and
the viewer's filters as document sets for the collector."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import datetime
from itertools import pairwise
from typing import Any

from whoosh import collectors
from whoosh.analysis import Filter, RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter, StopFilter
from whoosh.analysis.morph import StemFilter
from whoosh.fields import BOOLEAN, DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.lang.porter2 import stem
from whoosh.query import And, AndMaybe, AndNot, Or, Prefix, Query, Term
from whoosh.scoring import BM25F

from forum.search.backend import (
    ANSWERED_BOOST,
    ENDORSED_BOOST,
    SYNONYM_WEIGHT,
    Alternative,
    SearchDoc,
    SearchQuery,
    SubjectMatch,
    Unit,
)
from forum.search.query import MAX_WORD, STOP_WORDS

# Written with each index generation: an index of another format is rebuilt (`flask search
# sync`). Raise it whenever the schema, the analysis or what goes into a field changes.
INDEX_FORMAT = "3"
# A word in the title scores its match in the text plus this times its match in the title.
TITLE_BOOST = 3.0
# Ends a part in the pairs field's text, so no pair spans two parts (title end, body start).
PART_BREAK = "\u00b6"
PAIR_SEPARATOR = " "


class PairFilter(Filter):
    """Each two neighbouring words as one term ("blood pressur"), never across a part break.

    A phrase becomes one lookup per word pair instead of a walk through word positions, which
    took most of the time of a search that a phrase synonym ("blood cancer") was part of.
    """

    def __call__(self, tokens: Any) -> Any:
        previous = None
        for token in tokens:
            text = token.text
            if text == PART_BREAK:
                previous = None
                continue
            if previous is not None:
                token.text = f"{previous}{PAIR_SEPARATOR}{text}"
                yield token
            previous = text


def _word_analyzer() -> Any:
    # Porter2 (Snowball English), the stemmer PostgreSQL's english configuration uses.
    return StemmingAnalyzer(stemfn=stem, stoplist=STOP_WORDS, minsize=1, maxsize=MAX_WORD)


def _pair_analyzer() -> Any:
    words = RegexTokenizer(rf"\w+(\.?\w+)*|{PART_BREAK}")
    stop = StopFilter(stoplist=STOP_WORDS, minsize=1, maxsize=MAX_WORD)
    return words | LowercaseFilter() | stop | StemFilter(stemfn=stem) | PairFilter()


def make_schema() -> Schema:
    """The words of every part in one field, the title's again, and a field of word pairs.

    A document matches a word through one posting list ("text"), not a union of four (title,
    body, tags, community): Whoosh matches in Python, and the unions made searches several
    times slower than FTS5. The title field only adds to the score of a match (AndMaybe),
    with its own length: short titles that hold the words rank first, as they did with a
    field per part (the search evaluation fell by a third when titles were only repeated
    in the text). Phrases are looked up as word pairs, never through positions.
    """
    return Schema(
        key=ID(stored=True, unique=True, sortable=True),
        version=ID(sortable=True),
        doc_type=ID,
        community_id=ID,
        topic_id=ID,
        # The title's focus key and question type (see understanding.title_subject).
        focus=ID(sortable=True),
        qtype=ID(sortable=True),
        text=TEXT(analyzer=_word_analyzer(), phrase=False, spelling=True),
        title=TEXT(analyzer=_word_analyzer(), phrase=False),
        pairs=TEXT(analyzer=_pair_analyzer(), phrase=False),
        body=STORED,
        answered=BOOLEAN,
        endorsed=BOOLEAN,
        created_at=DATETIME(sortable=True),
        # Percent: 100, more for answered and expert-endorsed threads (see BoostedBM25F).
        rank_boost=NUMERIC(int, bits=32, sortable=True, default=100),
    )


def doc_fields(doc: SearchDoc) -> dict[str, Any]:
    boost = round(100 * (1 + ANSWERED_BOOST * doc.is_answered + ENDORSED_BOOST * doc.is_endorsed))
    return {
        "key": doc.key,
        "version": doc.version,
        "doc_type": doc.doc_type,
        "community_id": str(doc.community_id),
        "topic_id": str(doc.topic_id),
        "focus": doc.focus,
        "qtype": doc.qtype,
        "text": "\n".join((doc.title, doc.tags, doc.community_name, doc.body)),
        "title": doc.title,
        "pairs": f"{doc.title} {PART_BREAK} {doc.body}",
        "body": doc.body,
        "answered": doc.is_answered,
        "endorsed": doc.is_endorsed,
        "created_at": doc.created_at,
        "rank_boost": boost,
    }


NO_SUBJECT = SubjectMatch()


class BoostedBM25F(BM25F):
    """BM25F times each document's boost (answered, expert-endorsed), and for a long
    question times its subject's factor (see backend.SubjectMatch, set by WhooshBackend)."""

    use_final = True

    def final(self, searcher: Any, docnum: int, score: float) -> float:
        boosts = getattr(searcher, "_forum_boosts", None)
        if boosts is None:
            reader = searcher.reader()
            boosts = reader.column_reader("rank_boost")
            searcher._forum_boosts = boosts
            searcher._forum_subjects = (
                reader.column_reader("focus"),
                reader.column_reader("qtype"),
            )
        score = score * (boosts[docnum] or 100) / 100
        subject: SubjectMatch = searcher.__dict__.get("_forum_subject") or NO_SUBJECT
        if subject.focus:
            focus, qtype = searcher._forum_subjects
            score *= subject.factor(focus[docnum], qtype[docnum])
        return score


class QueryBuilder:
    """Turns a search plan into a Whoosh query, analyzing words as the index did."""

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer

    def tokens(self, text: str) -> list[str]:
        return [token.text for token in self.analyzer(text)]

    def match(self, query: SearchQuery) -> Query | None:
        positive = [q for q in map(self._unit, query.positive) if q is not None]
        if not positive:
            return None
        main: Query = And(positive) if query.match_all else Or(positive)
        negative = [q for q in map(self._unit, query.negative) if q is not None]
        return AndNot(main, Or(negative)) if negative else main

    def _unit(self, unit: Unit) -> Query | None:
        # The words typed count fully; synonyms added to them count less (see backend).
        weights = [unit.weight] + [unit.weight * SYNONYM_WEIGHT] * (len(unit.alternatives) - 1)
        queries = [q for q in map(self._alternative, unit.alternatives, weights) if q is not None]
        if not queries:
            return None
        return queries[0] if len(queries) == 1 else Or(queries)

    def _alternative(self, alternative: Alternative, weight: float = 1.0) -> Query | None:
        if alternative.prefix:
            stems = self.tokens(alternative.words[0])
            start = stems[0] if stems else alternative.words[0]
            return Prefix("text", start, boost=weight)
        tokens = self.tokens(" ".join(alternative.words))
        if not tokens:
            return None
        if len(tokens) == 1:
            return _word(tokens[0], weight)
        if alternative.phrase:
            # Every neighbouring pair in order: exact for two words, and for longer phrases a
            # near-certain match ("high blood pressure": "high blood" and "blood pressure").
            pairs = [f"{a}{PAIR_SEPARATOR}{b}" for a, b in pairwise(tokens)]
            return And([Term("pairs", pair, boost=weight) for pair in dict.fromkeys(pairs)])
        return And([_word(token, weight) for token in tokens])

    def highlight_terms(self, units: Iterable[Unit]) -> frozenset[str]:
        words = {" ".join(a.words) for unit in units for a in unit.alternatives if not a.prefix}
        return frozenset(token for text in words for token in self.tokens(text))


def _word(token: str, weight: float) -> Query:
    """Documents with the word anywhere; those with it in the title score more."""
    return AndMaybe(
        Term("text", token, boost=weight), Term("title", token, boost=TITLE_BOOST * weight)
    )


PUBLIC_COMMUNITY_ID = "0"  # documents outside any community (articles) are public
# Viewers' hidden-document sets kept per searcher (one per distinct set of visible communities).
HIDDEN_CACHE_SIZE = 256


def chosen_filters(query: SearchQuery) -> Query | None:
    """The filters the viewer chose but dates (visibility and dates: see WhooshBackend)."""
    parts: list[Query] = []
    if query.community_id is not None:
        parts.append(Term("community_id", str(query.community_id)))
    if query.topic_id is not None:
        parts.append(Term("topic_id", str(query.topic_id)))
    if query.doc_types:
        parts.append(Or([Term("doc_type", name) for name in sorted(query.doc_types)]))
    if query.answered_only:
        parts.append(Term("answered", True))
    if query.endorsed_only:
        parts.append(Term("endorsed", True))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def make_collector(query: SearchQuery, allowed: set[int] | None, hidden: set[int]) -> Any:
    """The top hits of a query, within the viewer's filters, every match counted.

    BoostedBM25F multiplies raw scores by each document's boost in `final`, which makes
    Whoosh score every match (no block-quality pruning, which would not know the boost).
    `allowed` are the documents in the chosen date range (None: no dates), `hidden` the
    documents the viewer may not see (and those excluded by key).
    """
    limit = query.offset + query.limit
    if query.sort == "new":
        inner: Any = collectors.SortingCollector("created_at", limit=limit, reverse=True)
    else:
        inner = collectors.TopCollector(limit, replace=0)
    return collectors.FilterCollector(inner, allowed, hidden or None)


def hidden_documents(searcher: Any, allowed: frozenset[int]) -> set[int]:
    """The documents of every community the viewer may not see, cached with the searcher.

    Visitors and most members see all public communities and few private ones, so this set is
    small; the searcher is replaced when the index changes, and its cache with it. (An OR over
    every allowed community as a filter took nine tenths of each search.) Documents outside
    any community (articles) are public.
    """
    cache: dict[frozenset[int], set[int]] = searcher.__dict__.setdefault("_forum_hidden", {})
    hidden = cache.get(allowed)
    if hidden is None:
        hidden = set()
        for term in searcher.reader().lexicon("community_id"):
            name = term.decode() if isinstance(term, bytes) else str(term)
            if name != PUBLIC_COMMUNITY_ID and not (name.isdigit() and int(name) in allowed):
                hidden.update(searcher.docs_for_query(Term("community_id", name)))
        if len(cache) >= HIDDEN_CACHE_SIZE:
            cache.clear()
        cache[allowed] = hidden
    return hidden


def dated_documents(searcher: Any, start: datetime | None, end: datetime | None) -> set[int]:
    """Documents created in [start, end), from the searcher's creation dates kept sorted.

    Whoosh's DateRange expands into many numeric terms and took a second on 20,000 threads;
    the sorted column is built once per searcher and then cut with two bisections.
    """
    dates = searcher.__dict__.get("_forum_dates")
    if dates is None:
        column = searcher.reader().column_reader("created_at")
        pairs = sorted((value, docnum) for docnum, value in enumerate(column) if value)
        dates = ([value for value, _ in pairs], [docnum for _, docnum in pairs])
        searcher._forum_dates = dates
    values, docnums = dates
    low = bisect.bisect_left(values, start) if start else 0
    high = bisect.bisect_left(values, end) if end else len(values)
    return set(docnums[low:high])
