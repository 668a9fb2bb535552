"""The embedded search engine: a Whoosh index in a folder (FORUM_SEARCH_DIR).

The folder holds index generations ("gen-...") and a CURRENT file naming the live one.
A rebuild writes a new generation and swaps CURRENT with an atomic rename, so readers
never see a half-built index. Each thread of each process keeps one searcher open and
refreshes it when the index changed.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from whoosh import collectors
from whoosh import highlight as whoosh_highlight
from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from forum.search.backend import Hit, HitPage, IndexBusy, SearchQuery
from forum.search.documents import SearchDoc
from forum.search.highlight import SNIPPET_LENGTH, MarkFormatter, plain_snippet
from forum.search.spelling import rank_corrections
from forum.search.whoosh_query import (
    BoostedBM25F,
    QueryBuilder,
    doc_fields,
    make_schema,
    visibility_and_filters,
)

POINTER = "CURRENT"
REBUILD_LOCK_TIMEOUT = 60.0


class _Writer:
    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def upsert(self, docs: Sequence[SearchDoc]) -> None:
        for doc in docs:
            self.writer.update_document(**doc_fields(doc))

    def delete(self, keys: Sequence[str]) -> None:
        for key in keys:
            self.writer.delete_by_term("key", key)


class _Rebuild:
    """Writes a new generation: one bulk writer, then a normal one for replayed changes."""

    def __init__(self, ix: Any) -> None:
        self.ix = ix
        self.writer: Any = None

    def bulk(self, docs: Iterable[SearchDoc]) -> int:
        writer = self.ix.writer(limitmb=256)
        count = 0
        try:
            for doc in docs:
                writer.add_document(**doc_fields(doc))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def _open(self) -> _Writer:
        if self.writer is None:
            self.writer = self.ix.writer()
        return _Writer(self.writer)

    def upsert(self, docs: Sequence[SearchDoc]) -> None:
        self._open().upsert(docs)

    def delete(self, keys: Sequence[str]) -> None:
        self._open().delete(keys)

    def finish(self, ok: bool) -> None:
        if self.writer is not None:
            self.writer.commit() if ok else self.writer.cancel()


def _collector(query: SearchQuery) -> Any:
    """The top hits of a query, within the viewer's filter, every match counted.

    Whoosh's top-N collector prunes sub-queries whose best raw score cannot reach the
    current N-th score. Our scores are raw scores times each document's boost
    (BoostedBM25F.final), which that pruning does not know: it would drop boosted documents
    that belong on the page, and leave them out of the total. So it never prunes.
    """
    limit = query.offset + query.limit
    if query.sort == "new":
        inner: Any = collectors.SortingCollector("created_at", limit=limit, reverse=True)
    else:
        inner = collectors.TopCollector(limit, usequality=False, replace=0)
    mask = (
        Or([Term("key", key) for key in sorted(query.exclude_keys)]) if query.exclude_keys else None
    )
    return collectors.FilterCollector(inner, visibility_and_filters(query), mask)


class WhooshBackend:
    name = "whoosh"

    def __init__(self, directory: str | Path, lock_timeout: float = 0.5) -> None:
        self.root = Path(directory)
        self.lock_timeout = lock_timeout
        self.schema = make_schema()
        self.analyzer = self.schema["body"].analyzer
        self.queries = QueryBuilder(self.analyzer)
        self._indexes: dict[str, Any] = {}
        self._local = threading.local()

    # Generations

    def current_generation(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text().strip()
        except FileNotFoundError:
            return None
        return name if name and (self.root / name).is_dir() else None

    def _new_generation(self) -> str:
        name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        (self.root / name).mkdir(parents=True)
        whoosh_index.create_in(str(self.root / name), self.schema)
        return name

    def _ensure(self) -> str:
        """The live generation, creating an empty index the first time."""
        current = self.current_generation()
        if current is not None:
            return current
        self.root.mkdir(parents=True, exist_ok=True)
        name = self._new_generation()
        temporary = self.root / f"{POINTER}.{uuid.uuid4().hex}"
        temporary.write_text(name)
        try:
            os.link(temporary, self.root / POINTER)  # fails if another process won
            return name
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
        current = self.current_generation()
        if current is not None:
            shutil.rmtree(self.root / name, ignore_errors=True)
            return current
        self._point_to(name)  # CURRENT named a folder that is gone: start afresh
        return name

    def _point_to(self, name: str) -> None:
        temporary = self.root / f"{POINTER}.{uuid.uuid4().hex}"
        temporary.write_text(name)
        os.replace(temporary, self.root / POINTER)

    def _open(self, name: str) -> Any:
        ix = self._indexes.get(name)
        if ix is None:
            ix = whoosh_index.open_dir(str(self.root / name))
            self._indexes[name] = ix
        return ix

    def _remove_old_generations(self, keep: set[str]) -> None:
        """Drop all but the live and the previous generation (a reader may still use it)."""
        for path in self.root.glob("gen-*"):
            if path.name not in keep:
                self._indexes.pop(path.name, None)
                shutil.rmtree(path, ignore_errors=True)

    # Reading

    def _searcher(self) -> Any:
        name = self._ensure()
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and self._local.generation == name and searcher.up_to_date():
            return searcher
        if searcher is not None:
            searcher.close()
        # A fresh reader, never Searcher.refresh(): Whoosh-Reloaded's refresh reuses the old
        # segment readers, with their old deletions, and keeps segments merged away since,
        # so updated threads showed up two or three times.
        searcher = self._open(name).searcher(weighting=BoostedBM25F())
        self._local.generation = name
        self._local.searcher = searcher
        return searcher

    def close(self) -> None:
        """Close this thread's searcher (tests and shutdown)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None

    def tokens(self, text: str) -> list[str]:
        return [token.text for token in self.analyzer(text)]

    def search(self, query: SearchQuery) -> HitPage:
        if not query.allowed_community_ids:
            return HitPage((), 0)
        main = self.queries.match(query)
        if main is None:
            return HitPage((), 0)
        searcher = self._searcher()
        collector = _collector(query)
        searcher.search_with_collector(main, collector)
        results = collector.results()
        terms = self.queries.highlight_terms(query.positive)
        hits = tuple(
            Hit(
                hit["key"],
                float(hit.score or 0.0),
                self._snippet(hit, terms) if query.highlight else Markup(""),
            )
            for hit in results[query.offset : query.offset + query.limit]
        )
        return HitPage(hits, len(results))

    def _snippet(self, hit: Any, terms: frozenset[str]) -> Markup:
        body = hit.get("body") or ""
        if not terms or not body:
            return plain_snippet(body)
        fragmenter = whoosh_highlight.ContextFragmenter(maxchars=SNIPPET_LENGTH, surround=70)
        marked = whoosh_highlight.highlight(
            body, terms, self.analyzer, fragmenter, MarkFormatter(), top=2
        )
        # MarkFormatter escaped every piece of the text: only its <mark> tags are HTML.
        return Markup(marked) if marked else plain_snippet(body)  # noqa: S704

    def corrections(self, word: str) -> list[str]:
        searcher = self._searcher()
        stems = self.tokens(word)
        if not stems or any(searcher.doc_frequency(f, stems[0]) for f in ("title", "body")):
            return []
        candidates: set[str] = set()
        for name in ("title", "body"):
            # Same first letter, as PostgreSQL's vocabulary lookup: scanning every indexed
            # word for each unknown one made misspelled questions take seconds.
            corrector = searcher.corrector(name)
            candidates.update(corrector.suggest(word, limit=10, maxdist=2, prefix=1))

        def frequency(candidate: str) -> int:
            found = self.tokens(candidate)
            return searcher.doc_frequency("body", found[0]) if found else 0

        return rank_corrections(word, candidates, frequency)

    # Writing

    @contextmanager
    def writer(self, session: Session) -> Iterator[_Writer]:
        name = self._ensure()
        try:
            writer = self._open(name).writer(timeout=self.lock_timeout)
        except whoosh_index.LockError as error:
            raise IndexBusy(str(error)) from error
        if self.current_generation() != name:  # a rebuild swapped while we waited
            writer.cancel()
            raise IndexBusy("the index was replaced")
        try:
            yield _Writer(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    @contextmanager
    def rebuilding(self, session: Session) -> Iterator[_Rebuild]:
        old = self._ensure()
        try:
            # Holding the live index's lock makes drains wait: their rows stay for replay.
            old_writer = self._open(old).writer(timeout=REBUILD_LOCK_TIMEOUT)
        except whoosh_index.LockError as error:
            raise IndexBusy(str(error)) from error
        new = self._new_generation()
        rebuild = _Rebuild(self._open(new))
        try:
            yield rebuild
            rebuild.finish(ok=True)
            self._point_to(new)
        except BaseException:
            rebuild.finish(ok=False)
            self._indexes.pop(new, None)
            shutil.rmtree(self.root / new, ignore_errors=True)
            raise
        finally:
            old_writer.cancel()
        self._remove_old_generations(keep={new, old})

    def versions(self, session: Session) -> dict[str, str]:
        with self._open(self._ensure()).searcher() as searcher:
            reader = searcher.reader()
            if reader.doc_count() == 0:  # an empty index has no columns to read
                return {}
            keys = reader.column_reader("key")
            versions = reader.column_reader("version")
            return {keys[docnum]: versions[docnum] for docnum in reader.all_doc_ids()}
