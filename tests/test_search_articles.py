"""Published, editor-reviewed articles are found next to threads, on both backends; drafts,
articles in review and retired ones never are."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.articles import services as article_services
from forum.extensions import db
from forum.models import Article, ArticleStatus, Role, SearchOutbox
from forum.search import engine, maintenance
from forum.search.backend import SearchQuery, plan
from forum.search.documents import article_key, thread_key
from forum.search.query import parse
from forum.search.services import SearchResults, similar_threads
from tests.api_support import Api
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_thread, make_topic, make_user
from tests.test_articles import make_article, make_expert
from tests.test_search import backend as backend  # the fixture, for pytestmark
from tests.test_search import find

pytestmark = pytest.mark.usefixtures("backend")

SUMMARY = "How thyroxine dosing changes in pregnancy, and when to test again."
BODY = "Levothyroxine needs often rise by a third in early pregnancy [1]. Test monthly [2]."


def article(status: ArticleStatus = ArticleStatus.PUBLISHED, **overrides: Any) -> Article:
    """An expert's article about thyroid dosing, taken through the workflow to the status."""
    values: dict[str, Any] = {
        "title": "Thyroid dosing while pregnant",
        "summary": SUMMARY,
        "body": BODY,
        **overrides,
    }
    topic = values.pop("topic", None) or make_topic()
    return make_article(make_expert(), topic, status, **values)


def labels(results: SearchResults) -> list[str]:
    """Each hit as "article: title" or "question: title" (or "discussion: ...")."""
    found = []
    for item in results.items:
        if item.article is not None:
            found.append(f"article: {item.article.title}")
        else:
            assert item.thread is not None
            found.append(f"{item.thread.kind.value}: {item.thread.title}")
    return found


def outbox_keys() -> list[str]:
    return list(db.session.scalars(select(SearchOutbox.key).order_by(SearchOutbox.id)))


def indexed_keys() -> set[str]:
    with Session(db.engine) as session:
        return set(engine.backend().versions(session))


def test_a_published_article_is_found_by_a_word_of_its_body(app: Flask, client: CsrfClient) -> None:
    found = article(topic=make_topic(name="Thyroid health"))
    make_thread(title="Tired all the time lately", body="Could it be my thyroid?")
    assert labels(find(None, "levothyroxine")) == ["article: Thyroid dosing while pregnant"]
    page = client.get("/search?q=levothyroxine").get_data(as_text=True)
    assert f'href="/articles/{found.slug}"' in page and "Thyroid dosing while pregnant" in page
    assert "Article, reviewed on" in page and "Thyroid health" in page
    assert "<mark>Levothyroxine</mark>" in page
    api = Api(app, client)
    body = api.get("/api/v1/search?q=levothyroxine&type=article").get_json()
    assert body["total"] == 1
    hit = body["items"][0]
    assert (hit["type"], hit["id"], hit["community"], hit["endorsed"]) == (
        "article", found.id, None, True,
    )  # fmt: skip
    assert hit["url"].endswith(f"/articles/{found.slug}") and hit["reviewed_at"]
    assert hit["topic"]["name"] == "Thyroid health"
    assert api.get("/api/v1/search?q=levothyroxine&type=thread").get_json()["total"] == 0
    assert api.get("/api/v1/search?q=thyroid").get_json()["total"] == 2


def test_the_content_type_filter_returns_only_articles_or_only_questions(
    client: CsrfClient,
) -> None:
    article()
    make_thread(title="Thyroid levels after pregnancy", body="My TSH is high.")
    make_thread(title="Thyroid and pregnancy: your stories", body="Share.", kind="discussion")
    everything = find(None, "thyroid pregnancy")
    assert everything.total == 3
    assert labels(find(None, "thyroid pregnancy", doc_type="article")) == [
        "article: Thyroid dosing while pregnant"
    ]
    assert labels(find(None, "thyroid pregnancy", doc_type="question")) == [
        "question: Thyroid levels after pregnancy"
    ]
    page = client.get("/search?q=thyroid+pregnancy&type=article").get_data(as_text=True)
    assert '<option value="article" selected>Articles</option>' in page
    assert "1 result" in page and "Thyroid levels after pregnancy" not in page


@pytest.mark.parametrize(
    "status", [ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.RETIRED]
)
def test_an_unpublished_article_is_never_found(status: ArticleStatus) -> None:
    unpublished = article(status)
    editor = make_user(role=Role.EDITOR)
    for viewer in (None, make_user(), editor, unpublished.author):
        assert find(viewer, "levothyroxine").total == 0
        assert find(viewer, "levothyroxine", doc_type="article").items == []
    assert article_key(unpublished.id) not in indexed_keys()


def test_retiring_or_reopening_a_published_article_removes_it_from_the_index() -> None:
    make_community()
    retired, reopened = article(), article(title="Thyroid dosing while pregnant, revised")
    assert find(None, "levothyroxine").total == 2
    editor = make_user(role=Role.EDITOR)
    article_services.retire_article(editor, retired, "Superseded")
    assert labels(find(None, "levothyroxine")) == [
        "article: Thyroid dosing while pregnant, revised"
    ]
    assert reopened.author is not None
    article_services.revise_article(reopened.author, reopened)
    assert find(None, "levothyroxine").total == 0
    assert indexed_keys().isdisjoint({article_key(retired.id), article_key(reopened.id)})


@pytest.mark.config(SEARCH_DRAIN="off")
def test_article_changes_write_outbox_rows_that_sync_applies(app: Flask) -> None:
    author, editor = make_expert(), make_user(role=Role.EDITOR)
    draft = make_article(author, make_topic(), ArticleStatus.IN_REVIEW, body=BODY)
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()
    article_services.publish_article(editor, draft)
    assert outbox_keys() == [article_key(draft.id)]
    runner = app.test_cli_runner()
    assert (
        "applied 1, removed 0 from 1 outbox rows" in runner.invoke(args=["search", "sync"]).output
    )
    assert article_key(draft.id) in indexed_keys()
    article_services.confirm_review(editor, draft)  # a new review date: a new document
    article_services.retire_article(editor, draft)
    assert outbox_keys() == [article_key(draft.id)] * 2
    assert "removed 1" in runner.invoke(args=["search", "sync"]).output
    assert article_key(draft.id) not in indexed_keys()


def test_a_reviewed_article_ranks_above_a_thread_with_the_same_words() -> None:
    community = make_community()
    first = make_thread(community, title="Thyroid dosing while pregnant", body=f"{SUMMARY} {BODY}")
    reviewed = article(topic=make_topic(name="Endocrine care"))
    make_thread(community, title="Thyroid dosing while pregnant", body=f"{SUMMARY} {BODY}")
    ranked = find(None, "thyroid dosing pregnant").items
    assert len(ranked) == 3 and ranked[0].article is not None
    assert ranked[0].article.id == reviewed.id
    # Not a tie won by the order of keys: the boost multiplies the same text score.
    query = SearchQuery(
        units=plan(parse("thyroid dosing pregnant"), engine.synonyms()),
        allowed_community_ids=frozenset({community.id}),
    )
    scores = {hit.key: hit.score for hit in engine.backend().search(query).hits}
    assert scores[article_key(reviewed.id)] > 1.4 * scores[thread_key(first.id)]


def test_articles_are_public_but_belong_to_no_community(client: CsrfClient) -> None:
    topic = make_topic(name="Thyroid health")
    found = article(topic=topic)
    private = make_community(topic, is_private=True, slug="thyroid-circle")
    member = make_user()
    login(client, member)
    for viewer in (None, member):  # no public community exists at all
        assert labels(find(viewer, "levothyroxine")) == [f"article: {found.title}"]
    assert find(None, "levothyroxine", topic=topic.slug).total == 1
    assert find(None, "levothyroxine", community=private.slug).total == 0
    assert find(None, "levothyroxine", endorsed=True).total == 1
    assert find(None, "levothyroxine", answered=True).total == 0
    assert "Thyroid dosing while pregnant" in client.get("/search?q=levothyroxine").get_data(
        as_text=True
    )


def test_similar_questions_never_list_articles() -> None:
    article()
    thread = make_thread(title="Thyroid dosing while pregnant?", body="Mine went up.")
    assert similar_threads(None, "Thyroid dosing while pregnant") == [thread]


def test_rebuild_includes_articles_and_verify_finds_no_drift(app: Flask) -> None:
    found = article()
    thread = make_thread(title="Thyroid levels after pregnancy", body="My TSH is high.")
    article(ArticleStatus.DRAFT, title="A draft about thyroid dosing")
    assert find(None, "thyroid").total == 2
    runner = app.test_cli_runner()
    assert "index and database agree" in runner.invoke(args=["search", "verify"]).output
    assert "indexed 2 documents" in runner.invoke(args=["search", "rebuild"]).output
    assert indexed_keys() == {article_key(found.id), thread_key(thread.id)}
    assert maintenance.verify().total == 0
    with Session(db.engine) as session, engine.backend().writer(session) as writer:
        writer.delete([article_key(found.id)])
        session.commit()
    assert find(None, "levothyroxine").total == 0
    result = runner.invoke(args=["search", "verify", "--repair"])
    assert "repaired: 1 missing, 0 stale, 0 extra" in result.output
    assert labels(find(None, "levothyroxine")) == [f"article: {found.title}"]


def test_an_article_hit_for_an_article_retired_behind_the_index_is_dropped(
    app: Flask,
) -> None:
    """The second guard: the index still has it, but the database says it is retired."""
    make_community()
    found = article()
    assert find(None, "levothyroxine").total == 1
    db.session.execute(
        Article.__table__.update()
        .where(Article.__table__.c.id == found.id)
        .values(status=ArticleStatus.RETIRED.value)
    )
    db.session.execute(SearchOutbox.__table__.delete())  # as if the drain never ran
    db.session.commit()
    assert find(None, "levothyroxine").items == []
