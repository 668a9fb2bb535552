"""The embedded search engine: a Whoosh index in a folder (FORUM_SEARCH_DIR).

The folder holds index generations ("gen-...") and a CURRENT file naming the live one.
A rebuild writes a new generation and swaps CURRENT with an atomic rename, so readers
never see a half-built index. Each thread of each process keeps one searcher open and
refreshes it when the index changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from whoosh import highlight as whoosh_highlight
from whoosh import index as whoosh_index
from whoosh.query import And, ConstantScoreQuery, Or, Term

from forum.search.backend import Hit, HitPage, IndexBusy, SearchDoc, SearchQuery
from forum.search.collapse import COMPARED_CHARS
from forum.search.highlight import (
    SNIPPET_LENGTH,
    SNIPPET_SCAN_CHARS,
    MarkFormatter,
    plain_snippet,
)
from forum.search.whoosh_query import (
    INDEX_FORMAT,
    BoostedBM25F,
    QueryBuilder,
    chosen_filters,
    dated_documents,
    doc_fields,
    hidden_documents,
    make_collector,
    make_schema,
)
from forum.search.whoosh_spelling import corrections

log = logging.getLogger(__name__)

POINTER = "CURRENT"
REBUILD_LOCK_TIMEOUT = 60.0
# Misspelled words whose corrections each searcher keeps.
CORRECTIONS_CACHE_SIZE = 1024
# Names the index format of a generation (see whoosh_query.INDEX_FORMAT).
FORMAT_FILE = "FORMAT"
# Small segments a writer lets pile up before it merges them (see WhooshBackend.writer).
MERGE_SEGMENTS = 10


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


class WhooshBackend:
    name = "whoosh"

    def __init__(
        self, directory: str | Path, lock_timeout: float = 0.5, result_cache_size: int = 512
    ) -> None:
        self.root = Path(directory)
        self.lock_timeout = lock_timeout
        self.result_cache_size = result_cache_size
        self.schema = make_schema()
        self.analyzer = self.schema["text"].analyzer
        self.queries = QueryBuilder(self.analyzer)
        self._indexes: dict[str, Any] = {}
        self._outdated: dict[str, bool] = {}
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
        (self.root / name / FORMAT_FILE).write_text(INDEX_FORMAT)
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

    def _is_outdated(self, name: str) -> bool:
        """Whether a generation was written in another format than this version writes."""
        outdated = self._outdated.get(name)
        if outdated is None:
            try:
                written = (self.root / name / FORMAT_FILE).read_text().strip()
            except FileNotFoundError:
                written = ""  # before formats were numbered
            outdated = self._outdated[name] = written != INDEX_FORMAT
        return outdated

    def needs_rebuild(self) -> bool:
        """An index written by an earlier version with other fields (`flask search sync`
        and the worker rebuild it; until then searches find nothing and writes wait)."""
        return self._is_outdated(self._ensure())

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
        if self._is_outdated(name):
            log.warning("the search index has an older format: run `flask search rebuild`")
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
        """A page of hits; hot queries are answered from this searcher's cache.

        The cache lives on the searcher, which is replaced as soon as the index changes, so
        a cached page is never older than the index; its key holds everything the query
        asks, the viewer's visible communities included.
        """
        searcher = self._searcher()
        cache: OrderedDict[SearchQuery, HitPage] | None = None
        if self.result_cache_size:
            cache = searcher.__dict__.setdefault("_forum_results", OrderedDict())
            page = cache.get(query)
            if page is not None:
                cache.move_to_end(query)
                return page
        page = self._search(searcher, query)
        if cache is not None:
            cache[query] = page
            if len(cache) > self.result_cache_size:
                cache.popitem(last=False)
        return page

    def _search(self, searcher: Any, query: SearchQuery) -> HitPage:
        main = self.queries.match(query)
        if main is None or self._is_outdated(self._local.generation):
            return HitPage((), 0)
        hidden = hidden_documents(searcher, query.allowed_community_ids)
        if query.exclude_keys:
            excluded = Or([Term("key", key) for key in sorted(query.exclude_keys)])
            hidden = hidden | set(searcher.docs_for_query(excluded))
        filters = chosen_filters(query)
        if filters is not None:
            # Inside the query, the matcher skips to the filtered documents (a community is a
            # small share of the index) instead of scoring every match and dropping most.
            main = And([main, ConstantScoreQuery(filters, 0.0)])
        allowed = None
        if query.created_from or query.created_before:
            allowed = dated_documents(searcher, query.created_from, query.created_before)
            if not allowed:
                return HitPage((), 0)
        collector = make_collector(query, allowed, hidden)
        # Read by BoostedBM25F.final; the searcher is this thread's own.
        searcher._forum_subject = query.subject
        try:
            searcher.search_with_collector(main, collector)
        finally:
            searcher._forum_subject = None
        results = collector.results()
        terms = self.queries.highlight_terms(query.positive)
        hits = tuple(
            Hit(
                hit["key"],
                float(hit.score or 0.0),
                self._snippet(hit, terms) if query.highlight else Markup(""),
                (hit.get("body") or "")[:COMPARED_CHARS],
            )
            for hit in results[query.offset : query.offset + query.limit]
        )
        return HitPage(hits, len(results))

    def _snippet(self, hit: Any, terms: frozenset[str]) -> Markup:
        body = hit.get("body") or ""
        if not terms or not body:
            return plain_snippet(body)
        # The first few thousand characters are scanned for a match, not a whole long thread:
        # analysing every word of a 500-reply thread took longer than the search itself.
        fragmenter = whoosh_highlight.ContextFragmenter(
            maxchars=SNIPPET_LENGTH, surround=70, charlimit=SNIPPET_SCAN_CHARS
        )
        marked = whoosh_highlight.highlight(
            body, terms, self.analyzer, fragmenter, MarkFormatter(), top=2
        )
        # MarkFormatter escaped every piece of the text: only its <mark> tags are HTML.
        return Markup(marked) if marked else plain_snippet(body)  # noqa: S704

    def corrections(self, word: str, allowed_community_ids: frozenset[int]) -> list[str]:
        searcher = self._searcher()
        if not self.tokens(word) or self._is_outdated(self._local.generation):
            return []
        # Kept with the searcher, as result pages are: a query that finds nothing is usually
        # asked again, and the corrector took longer than the search. The key holds what the
        # viewer may see: the words offered depend on it.
        cache: dict[tuple[str, frozenset[int]], list[str]] = searcher.__dict__.setdefault(
            "_forum_corrections", {}
        )
        key = (word, allowed_community_ids)
        found = cache.get(key)
        if found is None:
            found = corrections(searcher, self.tokens, word, allowed_community_ids)
            if len(cache) >= CORRECTIONS_CACHE_SIZE:
                cache.clear()
            cache[key] = found
        return list(found)

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
        if self._is_outdated(name):  # the outbox keeps the work for the rebuild
            writer.cancel()
            raise IndexBusy("the index has an older format: run `flask search rebuild`")
        try:
            yield _Writer(writer)
        except BaseException:
            writer.cancel()
            raise
        # Each drain adds a small segment. Merging them on every commit rewrote the growing
        # small segment each time (the slowest part of posting a reply); merging once they
        # are many keeps searches on few segments at a fraction of the cost.
        writer.commit(merge=len(writer.segments) >= MERGE_SEGMENTS)

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
