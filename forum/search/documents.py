"""The indexable document of each searchable thing, built from the database (the truth).

A thread's document holds what its readers see: the title, the question's text and the text
of its visible replies, its tags and community. Never e-mail addresses, author names (so no
anonymous poster can be named), deleted, hidden or pending text.

A published article's document holds its title, summary and text and its health topic. It
belongs to no community: community id 0 marks a public document that every viewer may find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session, lazyload

from forum import policies
from forum.models import Article, ArticleStatus, Community, Post, Thread
from forum.search.backend import SearchDoc
from forum.search.understanding import title_subject
from forum.text import plain_text

# Document types and their labels (the search page's content-type filter).
DOC_TYPES = {"question": "Questions", "discussion": "Discussions", "article": "Articles"}
THREAD_TYPES = frozenset({"question", "discussion"})
# The community id of documents outside any community (articles): every viewer sees them.
PUBLIC_COMMUNITY_ID = 0
MAX_BODY = 100_000
BATCH = 500


def thread_key(thread_id: int) -> str:
    return f"thread:{thread_id}"


def article_key(article_id: int) -> str:
    return f"article:{article_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    kind, _, raw_id = key.partition(":")
    return (kind, int(raw_id)) if raw_id.isdigit() else None


def indexable_threads() -> Select[int]:
    """Threads that belong in the index: published (not pending or hidden), not deleted."""
    return select(Thread.id).where(
        Thread.is_deleted == false(), Thread.status.in_(policies.PUBLISHED_STATUSES)
    )


def indexable_articles() -> Select[int]:
    """Articles that belong in the index: published (so reviewed by an editor), only."""
    return select(Article.id).where(Article.status == ArticleStatus.PUBLISHED)


def thread_ids_for_keys(session: Session, keys: Iterable[str]) -> set[int]:
    """The threads that outbox keys name ("thread:N", or "community:N" for all its threads)."""
    thread_ids: set[int] = set()
    community_ids: set[int] = set()
    for key in keys:
        parsed = parse_key(key)
        if parsed is None:
            continue
        kind, object_id = parsed
        if kind == "thread":
            thread_ids.add(object_id)
        elif kind == "community":
            community_ids.add(object_id)
    if community_ids:
        query = select(Thread.id).where(Thread.community_id.in_(community_ids))
        thread_ids.update(session.scalars(query))
    return thread_ids


def thread_documents(session: Session, thread_ids: Sequence[int]) -> dict[int, SearchDoc]:
    """The documents of the given threads that are indexable (the others are absent)."""
    wanted = session.scalars(indexable_threads().where(Thread.id.in_(thread_ids))).all()
    if not wanted:
        return {}
    threads = session.scalars(select(Thread).where(Thread.id.in_(wanted))).unique().all()
    texts: dict[int, list[str]] = {thread_id: [] for thread_id in wanted}
    posts = session.execute(
        select(Post.thread_id, Post.body_html)
        .where(Post.thread_id.in_(wanted), Post.is_deleted == false())
        .where(Post.is_hidden == false(), Post.is_pending == false())
        .order_by(Post.thread_id, Post.is_opening.desc(), Post.created_at, Post.id)
    )
    for thread_id, body_html in posts:
        texts[thread_id].append(plain_text(body_html))
    return {thread.id: _thread_doc(thread, texts[thread.id]) for thread in threads}


def _thread_doc(thread: Thread, texts: list[str]) -> SearchDoc:
    community: Community = thread.community
    return SearchDoc(
        key=thread_key(thread.id),
        doc_type=thread.kind.value,
        object_id=thread.id,
        title=thread.title,
        body=" ".join(text for text in texts if text)[:MAX_BODY],
        tags=" ".join(tag.name for tag in thread.tags),
        community_name=community.name,
        community_id=community.id,
        topic_id=community.topic_id,
        is_private=community.is_private,
        is_answered=thread.is_answered,
        is_endorsed=thread.has_expert_answer,
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
        **_subject(thread.title),
    ).with_version()


def _subject(title: str) -> dict[str, str]:
    """The focus and question type fields of a document with this title."""
    # Imported here: understanding builds on the engines' plan, which imports this module.

    focus, qtype = title_subject(title)
    return {"focus": focus, "qtype": qtype}


def article_ids_for_keys(keys: Iterable[str]) -> set[int]:
    """The articles that outbox keys name ("article:N")."""
    parsed = [parse_key(key) for key in keys]
    return {found[1] for found in parsed if found is not None and found[0] == "article"}


def article_documents(session: Session, article_ids: Sequence[int]) -> dict[int, SearchDoc]:
    """The documents of the given articles that are indexable (the others are absent)."""
    query = select(Article).where(
        Article.id.in_(article_ids), Article.status == ArticleStatus.PUBLISHED
    )
    # Only the topic is read: the authors and references are not in the document.
    query = query.options(
        *(lazyload(r) for r in (Article.author, Article.reviewer, Article.citations))
    )
    return {article.id: _article_doc(article) for article in session.scalars(query)}


def _article_doc(article: Article) -> SearchDoc:
    published = article.published_at or article.created_at
    reviewed = max(article.updated_at, article.reviewed_at or article.updated_at)
    return SearchDoc(
        key=article_key(article.id),
        doc_type="article",
        object_id=article.id,
        title=article.title,
        body=f"{article.summary} {plain_text(article.body_html)}"[:MAX_BODY],
        tags="",
        community_name=article.topic.name,
        community_id=PUBLIC_COMMUNITY_ID,
        topic_id=article.topic_id,
        is_private=False,
        is_answered=False,
        # Published means reviewed by an editor: ranked like an expert-endorsed thread.
        is_endorsed=True,
        created_at=published,
        last_activity_at=reviewed,
        **_subject(article.title),
    ).with_version()


def documents_for_keys(session: Session, keys: Iterable[str]) -> tuple[list[SearchDoc], list[str]]:
    """The current documents of what the keys name, and the keys no longer indexable."""
    keys = list(keys)
    thread_ids = sorted(thread_ids_for_keys(session, keys))
    article_ids = sorted(article_ids_for_keys(keys))
    threads = thread_documents(session, thread_ids) if thread_ids else {}
    articles = article_documents(session, article_ids) if article_ids else {}
    removed = [thread_key(i) for i in thread_ids if i not in threads]
    removed += [article_key(i) for i in article_ids if i not in articles]
    return [*threads.values(), *articles.values()], removed


def count_documents(session: Session) -> int:
    return sum(
        session.scalar(select(func.count()).select_from(query.subquery())) or 0
        for query in (indexable_threads(), indexable_articles())
    )


def all_documents(session: Session, batch: int = BATCH) -> Iterator[SearchDoc]:
    """Every indexable document, built in batches (for rebuild and verify)."""
    yield from _in_batches(session, indexable_threads(), Thread.id, thread_documents, batch)
    yield from _in_batches(session, indexable_articles(), Article.id, article_documents, batch)


def _in_batches(
    session: Session,
    indexable: Select[int],
    id_column: Any,
    documents: Callable[[Session, Sequence[int]], dict[int, SearchDoc]],
    batch: int,
) -> Iterator[SearchDoc]:
    last_id = 0
    while True:
        ids = session.scalars(
            indexable.where(id_column > last_id).order_by(id_column).limit(batch)
        ).all()
        if not ids:
            return
        docs = documents(session, ids)
        for object_id in ids:
            if object_id in docs:
                yield docs[object_id]
        last_id = ids[-1]
        session.expunge_all()
