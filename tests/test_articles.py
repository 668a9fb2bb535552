"""Second-opinion articles: writing, the review workflow, permissions, references and the seed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from forum import policies
from forum.articles import services
from forum.articles.services import ArticleContent, CitationInput
from forum.errors import InvalidAction, NotAllowed
from forum.extensions import db
from forum.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    EvidenceLevel,
    ExpertProfile,
    ExpertStatus,
    HealthTopic,
    ModerationAction,
    Role,
    User,
    utcnow,
)
from forum.seed.articles import load_articles
from forum.seed.demo import SeedReport
from tests.conftest import CsrfClient, login
from tests.factories import make_reply, make_thread, make_topic, make_user

TITLE = "When a second opinion on breast cancer helps"
SUMMARY = "What a second opinion can change, and how to ask for one without worry."
BODY = "Most people who ask for a second opinion keep their plan [1].\n\nSome change it [2]."
CITATIONS = (
    CitationInput(
        "Smith J. Second opinions in oncology. J Clin Oncol. 2020.",
        "https://example.org/a",
        "observational",
    ),
    CitationInput("National guideline on cancer care, 2022.", "", "guideline"),
)


def make_expert(**overrides: Any) -> User:
    """A member with a verified, unexpired expert profile covering every topic."""
    credentials = overrides.pop("credentials", "MD")
    specialty = overrides.pop("specialty", "Oncology")
    user = make_user(**overrides)
    now = utcnow()
    db.session.add(
        ExpertProfile(
            user_id=user.id,
            credentials=credentials,
            specialty=specialty,
            status=ExpertStatus.VERIFIED,
            all_topics=True,
            verified_at=now,
            expires_at=now + timedelta(days=365),
        )
    )
    db.session.commit()
    policies.forget_expert_profiles()
    return user


def content(topic: HealthTopic, **overrides: Any) -> ArticleContent:
    values: dict[str, Any] = {
        "topic": topic,
        "title": TITLE,
        "summary": SUMMARY,
        "body": BODY,
        "citations": CITATIONS,
    }
    values.update(overrides)
    return ArticleContent(**values)


def make_article(
    author: User,
    topic: HealthTopic | None = None,
    status: ArticleStatus = ArticleStatus.DRAFT,
    editor: User | None = None,
    **overrides: Any,
) -> Article:
    """An article by the author, taken through the workflow up to the status."""
    article = services.create_article(author, content(topic or make_topic(), **overrides))
    if status == ArticleStatus.DRAFT:
        return article
    services.submit_article(author, article)
    if status == ArticleStatus.IN_REVIEW:
        return article
    editor = editor or make_user(role=Role.EDITOR)
    services.publish_article(editor, article)
    if status == ArticleStatus.RETIRED:
        services.retire_article(editor, article)
    return article


def form_data(topic: HealthTopic, **overrides: str) -> dict[str, str]:
    data = {
        "topic": topic.slug,
        "title": TITLE,
        "summary": SUMMARY,
        "body": BODY,
        "citations-0-text": CITATIONS[0].text,
        "citations-0-url": CITATIONS[0].url,
        "citations-0-evidence_level": CITATIONS[0].evidence_level,
        "citations-1-text": CITATIONS[1].text,
        "citations-1-url": "",
        "citations-1-evidence_level": CITATIONS[1].evidence_level,
    }
    data.update(overrides)
    return data


def logged_in(app: Flask, user: User | None) -> CsrfClient:
    client = app.test_client()
    assert isinstance(client, CsrfClient)
    if user is not None:
        login(client, user)
    return client


def is_login_redirect(response: TestResponse) -> bool:
    return response.status_code == 302 and "/account/login" in (response.location or "")


def refreshed(article: Article) -> Article:
    db.session.refresh(article)
    return article


def audit_actions(article: Article) -> list[str]:
    rows = db.session.scalars(
        select(ModerationAction.action)
        .where(ModerationAction.target_type == "article", ModerationAction.target_id == article.id)
        .order_by(ModerationAction.id)
    )
    return list(rows)


def counts() -> tuple[int, int, int]:
    """Articles, revisions and audit entries: a refused action changes none of them."""
    return (
        db.session.scalar(select(func.count(Article.id))) or 0,
        db.session.scalar(select(func.count(ArticleRevision.id))) or 0,
        db.session.scalar(select(func.count(ModerationAction.id))) or 0,
    )


# The permission table


ACTORS = ("visitor", "member", "author", "other_expert", "editor_author", "editor", "admin")
OK, LOGIN = "ok", "login"
TABLE: dict[str, tuple[ArticleStatus, tuple[object, ...]]] = {
    "create": (ArticleStatus.DRAFT, (LOGIN, 403, OK, OK, OK, 403, 403)),
    "edit": (ArticleStatus.DRAFT, (LOGIN, 404, OK, 404, OK, 403, 403)),
    "edit_in_review": (ArticleStatus.IN_REVIEW, (LOGIN, 404, 403, 404, OK, OK, OK)),
    "submit": (ArticleStatus.DRAFT, (LOGIN, 404, OK, 404, OK, 403, 403)),
    "publish": (ArticleStatus.IN_REVIEW, (LOGIN, 404, 403, 404, 403, OK, OK)),
    "retire": (ArticleStatus.PUBLISHED, (LOGIN, 403, 403, 403, 403, OK, OK)),
    "view_draft": (ArticleStatus.DRAFT, (404, 404, OK, 404, OK, OK, OK)),
    "view_in_review": (ArticleStatus.IN_REVIEW, (404, 404, OK, 404, OK, OK, OK)),
    "view_retired": (ArticleStatus.RETIRED, (404, 404, 404, 404, OK, OK, OK)),
}
NEW_TITLE = "A different title for this article"
REQUESTS: dict[str, Callable[[CsrfClient, Article], TestResponse]] = {
    "create": lambda c, a: c.post("/articles/new", data=form_data(a.topic, title=NEW_TITLE)),
    "edit": lambda c, a: c.post(
        f"/articles/{a.slug}/edit", data=form_data(a.topic, title=NEW_TITLE)
    ),
    "edit_in_review": lambda c, a: c.post(
        f"/articles/{a.slug}/edit", data=form_data(a.topic, title=NEW_TITLE)
    ),
    "submit": lambda c, a: c.post(f"/articles/{a.slug}/submit"),
    "publish": lambda c, a: c.post(f"/articles/{a.slug}/publish"),
    "retire": lambda c, a: c.post(f"/articles/{a.slug}/retire", data={"reason": "Outdated"}),
    "view_draft": lambda c, a: c.get(f"/articles/{a.slug}"),
    "view_in_review": lambda c, a: c.get(f"/articles/{a.slug}"),
    "view_retired": lambda c, a: c.get(f"/articles/{a.slug}"),
}


def make_cast() -> dict[str, User | None]:
    return {
        "visitor": None,
        "member": make_user(),
        "author": make_expert(),
        "other_expert": make_expert(),
        # An editor who is also a verified expert, and wrote the article.
        "editor_author": make_expert(role=Role.EDITOR),
        "editor": make_user(role=Role.EDITOR),
        "admin": make_user(role=Role.ADMIN),
    }


def snapshot(article: Article) -> tuple[object, ...]:
    db.session.refresh(article)
    return (article.status, article.title, article.revision_count, article.reviewer_id)


@pytest.mark.parametrize("action", list(TABLE))
def test_each_role_may_do_exactly_what_the_policy_table_says(app: Flask, action: str) -> None:
    cast = make_cast()
    topic = make_topic()
    status, expectations = TABLE[action]
    reviewer = cast["editor"]
    assert isinstance(reviewer, User)
    for actor, expected in zip(ACTORS, expectations, strict=True):
        writer = cast["editor_author"] if actor == "editor_author" else cast["author"]
        assert isinstance(writer, User)
        article = make_article(writer, topic, status, editor=reviewer)
        before, state = counts(), snapshot(article)
        response = REQUESTS[action](logged_in(app, cast[actor]), article)
        where = (action, actor, response.status_code)
        if expected == OK:
            assert response.status_code in (200, 302), where
            assert not is_login_redirect(response), where
            if action != "create" and not action.startswith("view"):
                assert snapshot(article) != state, where
        else:
            if expected == LOGIN:
                assert is_login_redirect(response), where
            else:
                assert response.status_code == expected, where
            # Refused: nothing was written, not even an audit entry.
            assert counts() == before, where
            assert snapshot(article) == state, where


def test_an_editor_cannot_publish_their_own_article_through_the_service(app: Flask) -> None:
    editor_author = make_expert(role=Role.EDITOR)
    article = make_article(editor_author, status=ArticleStatus.IN_REVIEW)
    before = counts()
    with pytest.raises(NotAllowed):
        services.publish_article(editor_author, article)
    db.session.rollback()
    assert counts() == before
    assert refreshed(article).status == ArticleStatus.IN_REVIEW
    assert article.reviewer_id is None


def test_an_expired_or_unverified_expert_cannot_write(app: Flask, client: CsrfClient) -> None:
    lapsed = make_expert()
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == lapsed.id))
    assert profile is not None
    profile.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    policies.forget_expert_profiles()
    topic = make_topic()
    with pytest.raises(NotAllowed):
        services.create_article(lapsed, content(topic))
    login(client, lapsed)
    assert client.get("/articles/new").status_code == 403
    assert client.post("/articles/new", data=form_data(topic)).status_code == 403
    assert counts()[0] == 0


def test_publishing_and_retiring_need_the_right_status(app: Flask) -> None:
    author, editor = make_expert(), make_user(role=Role.EDITOR)
    draft = make_article(author)
    with pytest.raises(InvalidAction):
        services.publish_article(editor, draft)
    with pytest.raises(InvalidAction):
        services.retire_article(editor, draft)
    with pytest.raises(InvalidAction):
        services.return_article(editor, draft, "Not in review")
    db.session.rollback()
    assert refreshed(draft).status == ArticleStatus.DRAFT
    assert audit_actions(draft) == []


# The workflow, through the pages


def test_an_article_goes_from_draft_through_review_to_published_and_retired(app: Flask) -> None:
    author = make_expert(name="dr_author", credentials="MD", specialty="Oncology")
    editor = make_user(name="the_editor", role=Role.EDITOR)
    topic = make_topic(name="Breast Cancer")
    writer = logged_in(app, author)
    assert writer.get("/articles/new").status_code == 200
    response = writer.post("/articles/new", data=form_data(topic))
    assert response.status_code == 302
    article = db.session.scalar(select(Article))
    assert article is not None and article.status == ArticleStatus.DRAFT
    assert response.location.endswith(f"/articles/{article.slug}")
    assert "draft" in writer.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert writer.post(f"/articles/{article.slug}/submit").status_code == 302
    assert refreshed(article).status == ArticleStatus.IN_REVIEW

    reviewer = logged_in(app, editor)
    assert TITLE in reviewer.get("/articles/queue").get_data(as_text=True)
    note = "Please cite the 2023 trial as well."
    assert reviewer.post(f"/articles/{article.slug}/return", data={"note": note}).status_code == 302
    assert refreshed(article).status == ArticleStatus.DRAFT
    assert article.review_note == note
    assert note in writer.get(f"/articles/{article.slug}").get_data(as_text=True)

    edited = form_data(topic, body=BODY + " A 2023 trial agrees [1].")
    assert writer.post(f"/articles/{article.slug}/edit", data=edited).status_code == 302
    assert writer.post(f"/articles/{article.slug}/submit").status_code == 302
    assert "A 2023 trial agrees" in reviewer.get(f"/articles/{article.slug}/history").get_data(
        as_text=True
    )
    assert reviewer.post(f"/articles/{article.slug}/publish").status_code == 302
    refreshed(article)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.reviewer_id == editor.id and article.reviewed_at is not None
    assert article.next_review_due is not None and article.published_at is not None
    due_in = article.next_review_due - article.reviewed_at
    assert timedelta(days=360) < due_in < timedelta(days=370)

    visitor = logged_in(app, None)
    page = visitor.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "dr_author" in page and "MD" in page and "Oncology" in page
    assert re.search(r"Reviewed by <span class=\"reviewer\">the_editor</span> on <time", page)
    assert "Medical disclaimer" in page
    assert "Review overdue" not in page
    assert "Editorial workflow" not in page and "/history" not in page
    for url in ("/articles", f"/articles?topic={topic.slug}", f"/topics/{topic.slug}"):
        assert TITLE in visitor.get(url).get_data(as_text=True), url

    assert (
        reviewer.post(f"/articles/{article.slug}/retire", data={"reason": "Outdated"}).status_code
        == 302
    )
    assert refreshed(article).status == ArticleStatus.RETIRED
    assert visitor.get(f"/articles/{article.slug}").status_code == 404
    assert TITLE not in visitor.get("/articles").get_data(as_text=True)
    assert reviewer.get(f"/articles/{article.slug}").status_code == 200

    assert audit_actions(article) == [
        "article.submit",
        "article.return",
        "article.submit",
        "article.publish",
        "article.retire",
    ]
    entries = db.session.scalars(
        select(ModerationAction).where(ModerationAction.target_id == article.id)
    ).all()
    by_action = {entry.action: entry for entry in entries}
    assert by_action["article.return"].reason == note
    assert by_action["article.return"].actor_id == editor.id
    assert by_action["article.publish"].actor_id == editor.id
    assert by_action["article.retire"].reason == "Outdated"


def test_returning_an_article_needs_a_note_and_keeps_the_form(app: Flask) -> None:
    article = make_article(make_expert(), status=ArticleStatus.IN_REVIEW)
    reviewer = logged_in(app, make_user(role=Role.EDITOR))
    before = counts()
    response = reviewer.post(f"/articles/{article.slug}/return", data={"note": "  "})
    assert response.status_code == 422
    assert "Say what needs to change." in response.get_data(as_text=True)
    assert refreshed(article).status == ArticleStatus.IN_REVIEW
    assert counts() == before


def test_every_edit_keeps_a_revision_and_an_unchanged_save_adds_none(app: Flask) -> None:
    author = make_expert()
    article = make_article(author)
    assert article.revision_count == 1
    services.update_article(author, article, content(article.topic, body=BODY + "\n\nMore."))
    services.update_article(author, article, content(article.topic, body=BODY + "\n\nMore."))
    revisions = db.session.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number)
    ).all()
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].body_source == BODY
    assert revisions[1].body_source.endswith("More.")
    assert revisions[1].citations[1]["evidence_level"] == "guideline"
    assert refreshed(article).revision_count == 2


def test_a_republished_article_shows_updated_on_and_reviewers_see_the_diff(app: Flask) -> None:
    author, editor = make_expert(), make_user(role=Role.EDITOR)
    article = make_article(author, status=ArticleStatus.PUBLISHED, editor=editor)
    page = logged_in(app, None).get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Updated on" not in page
    services.revise_article(author, article)
    assert logged_in(app, None).get(f"/articles/{article.slug}").status_code == 404
    changed = BODY.replace("Most people", "Many people <script>alert(1)</script>")
    services.update_article(author, article, content(article.topic, body=changed))
    services.submit_article(author, article)

    history = logged_in(app, editor).get(f"/articles/{article.slug}/history")
    assert history.status_code == 200
    html = history.get_data(as_text=True)
    assert "-Most people who ask" in html
    assert "+Many people &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "--- published (revision 1)" in html
    for other in (author, make_user(), make_expert()):
        assert logged_in(app, other).get(f"/articles/{article.slug}/history").status_code in (
            403,
            404,
        )

    services.publish_article(editor, article)
    assert refreshed(article).was_updated
    page = logged_in(app, None).get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Updated on" in page
    assert "Many people" in page
    assert audit_actions(article) == [
        "article.submit",
        "article.publish",
        "article.revise",
        "article.submit",
        "article.publish",
    ]


def test_the_revisions_link_shows_only_to_reviewers(app: Flask) -> None:
    author = make_expert()
    article = make_article(author, status=ArticleStatus.IN_REVIEW)
    assert "/history" not in logged_in(app, author).get(f"/articles/{article.slug}").get_data(
        as_text=True
    )
    editor_page = logged_in(app, make_user(role=Role.EDITOR)).get(f"/articles/{article.slug}")
    assert f"/articles/{article.slug}/history" in editor_page.get_data(as_text=True)
    assert logged_in(app, None).get(f"/articles/{article.slug}/history").status_code == 302


# Review dates


def test_an_overdue_article_is_flagged_for_readers_and_queued_for_editors(app: Flask) -> None:
    editor = make_user(role=Role.EDITOR)
    article = make_article(make_expert(), status=ArticleStatus.PUBLISHED, editor=editor)
    waiting = make_article(
        make_expert(), status=ArticleStatus.IN_REVIEW, title="Waiting for a reviewer today"
    )
    article.next_review_due = utcnow() - timedelta(days=1)
    db.session.commit()
    assert policies.is_review_overdue(article)
    visitor = logged_in(app, None)
    assert "Review overdue" in visitor.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Review overdue" in visitor.get("/articles").get_data(as_text=True)

    queue = logged_in(app, make_user(role=Role.EDITOR)).get("/articles/queue")
    html = queue.get_data(as_text=True)
    assert queue.status_code == 200
    assert html.index(waiting.title) < html.index("overdue-heading") < html.index(article.title)

    other_editor = make_user(role=Role.EDITOR)
    client = logged_in(app, other_editor)
    assert client.post(f"/articles/{article.slug}/review").status_code == 302
    refreshed(article)
    assert not policies.is_review_overdue(article)
    assert article.reviewer_id == other_editor.id
    assert article.title not in client.get("/articles/queue").get_data(as_text=True)
    assert audit_actions(article)[-1] == "article.review"


@pytest.mark.config(ARTICLE_REVIEW_MONTHS=3)
def test_the_review_interval_comes_from_the_configuration(app: Flask) -> None:
    article = make_article(make_expert(), status=ArticleStatus.PUBLISHED)
    assert article.next_review_due is not None and article.reviewed_at is not None
    assert timedelta(days=88) < article.next_review_due - article.reviewed_at < timedelta(days=93)


def test_add_months_keeps_the_day_or_the_end_of_the_month() -> None:
    start = utcnow().replace(year=2025, month=1, day=31)
    assert services.add_months(start, 1).date().isoformat() == "2025-02-28"
    assert services.add_months(start, 12).date().isoformat() == "2026-01-31"
    assert services.add_months(start, 13).date().isoformat() == "2026-02-28"


@pytest.mark.parametrize(
    ("user_kind", "expected"),
    [("visitor", 302), ("member", 403), ("expert", 403), ("editor", 200), ("admin", 200)],
)
def test_only_editors_open_the_review_queue(app: Flask, user_kind: str, expected: int) -> None:
    users: dict[str, Callable[[], User | None]] = {
        "visitor": lambda: None,
        "member": make_user,
        "expert": make_expert,
        "editor": lambda: make_user(role=Role.EDITOR),
        "admin": lambda: make_user(role=Role.ADMIN),
    }
    response = logged_in(app, users[user_kind]()).get("/articles/queue")
    assert response.status_code == expected
    if expected == 302:
        assert is_login_redirect(response)


# References and bad input


def test_numbered_references_link_to_a_list_with_levels_of_evidence(app: Flask) -> None:
    article = make_article(make_expert(), status=ArticleStatus.PUBLISHED)
    assert '<a href="#ref-1" title="Reference 1" rel="nofollow ugc noopener">[1]</a>' in (
        article.body_html
    )
    page = logged_in(app, None).get(f"/articles/{article.slug}").get_data(as_text=True)
    assert '<li id="ref-1">' in page and '<li id="ref-2">' in page
    assert "Level of evidence: Observational study" in page
    assert "Level of evidence: Guideline or systematic review" in page
    assert 'href="https://example.org/a" rel="nofollow noopener"' in page
    assert [c.position for c in article.citations] == [1, 2]
    assert article.citations[1].url is None
    assert article.citations[0].evidence_level == EvidenceLevel.OBSERVATIONAL


def test_brackets_in_code_and_links_are_not_references(app: Flask) -> None:
    body = "Cited [1]. Code `x[1]` and [a link](https://example.org) and [text][1] stay.\n\n[1]: https://example.org"
    article = make_article(make_expert(), body=body)
    assert article.body_html.count('href="#ref-1"') == 1
    assert "<code>x[1]</code>" in article.body_html
    adapted = make_article(make_expert(), body="*Adapted from [2]: a public page.*")
    assert 'href="#ref-2"' in adapted.body_html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<b>hi</b>",
        "ftp://example.org/paper.pdf",
        "example.org/paper",
        "https://",
        "http://exa mple.org",
        "//example.org/paper",
    ],
)
def test_a_citation_link_must_be_http_or_https(app: Flask, url: str) -> None:
    author, topic = make_expert(), make_topic()
    with pytest.raises(InvalidAction, match="http:// or https://"):
        services.create_article(
            author, content(topic, citations=[CitationInput("A source", url, "guideline")])
        )
    db.session.rollback()
    response = logged_in(app, author).post(
        "/articles/new", data=form_data(topic, **{"citations-0-url": url})
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "http:// or https://" in html
    assert TITLE in html and "Most people who ask" in html
    assert counts()[0] == 0


@pytest.mark.parametrize("url", ["http://example.org", "https://example.org/a?b=c&d=1#part"])
def test_http_and_https_citation_links_are_accepted(app: Flask, url: str) -> None:
    citations = [CitationInput("A source", url, "randomized-trial")]
    article = make_article(make_expert(), citations=citations, body="Shown [1].")
    assert article.citations[0].url == url


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Too short", "between 10 and 150"),
        ("title", "x" * 151, "between 10 and 150"),
        ("summary", "s" * 501, "longer than 500"),
        ("body", "b" * 50_001, "under 50,000"),
        ("body", "As shown in [3], it helps.", "cites [3], but there are only 2 references"),
        ("citations-1-evidence_level", "", "Choose the level of evidence."),
        ("citations-1-text", "", "Describe the source, not just its link."),
    ],
)
def test_bad_input_is_refused_with_422_and_the_text_is_kept(
    app: Flask, field: str, value: str, message: str
) -> None:
    author, topic = make_expert(), make_topic()
    data = form_data(topic, **{field: value, "citations-1-url": "https://example.org/b"})
    response = logged_in(app, author).post("/articles/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert SUMMARY in html or field == "summary"
    assert "Smith J. Second opinions" in html
    assert counts() == (0, 0, 0)


def test_editing_with_bad_input_changes_nothing(app: Flask) -> None:
    author = make_expert()
    article = make_article(author)
    client = logged_in(app, author)
    before, state = counts(), snapshot(article)
    bad = form_data(article.topic, body="Unchanged text [1] [9]", title="A changed title here")
    response = client.post(f"/articles/{article.slug}/edit", data=bad)
    assert response.status_code == 422
    assert "A changed title here" in response.get_data(as_text=True)
    assert counts() == before and snapshot(article) == state
    assert client.get(f"/articles/{article.slug}/edit").status_code == 200


def test_markup_in_articles_and_citations_is_escaped(app: Flask) -> None:
    body = (
        '<script>alert("body")</script> [click](javascript:alert(1)) '
        "<img src=x onerror=alert(1)> cited [1]"
    )
    citations = [
        CitationInput(
            "<img src=x onerror=alert(2)> Evil et al.",
            'https://example.org/"onmouseover="alert(3)',
            "expert-opinion",
        )
    ]
    article = make_article(
        make_expert(),
        status=ArticleStatus.PUBLISHED,
        title="<b>Bold</b> claims about screening",
        summary="<script>alert('summary')</script>",
        body=body,
        citations=citations,
    )
    page = logged_in(app, None).get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;body&#34;)" in page or "&lt;script&gt;alert(&quot;body" in page
    assert 'href="javascript:' not in page
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(2)&gt; Evil et al." in page
    assert '"onmouseover="' not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in page
    for url in ("/articles", f"/topics/{article.topic.slug}"):
        listing = logged_in(app, None).get(url).get_data(as_text=True)
        assert "<b>Bold</b>" not in listing and "<script>alert('summary')" not in listing


# Lists and pages


@pytest.mark.config(PER_PAGE=2)
def test_the_index_is_paginated_and_filters_by_topic(app: Flask) -> None:
    author, editor = make_expert(), make_user(role=Role.EDITOR)
    heart, lungs = make_topic(name="Heart Health"), make_topic(name="Lung Health")
    titles = [f"Heart article number {n} of three" for n in range(3)]
    for title in titles:
        make_article(author, heart, ArticleStatus.PUBLISHED, editor=editor, title=title)
    make_article(
        author, lungs, ArticleStatus.PUBLISHED, editor=editor, title="About breathing well today"
    )
    make_article(author, heart, title="A draft nobody else sees yet")
    client = logged_in(app, None)
    first = client.get(f"/articles?topic={heart.slug}").get_data(as_text=True)
    second = client.get(f"/articles?topic={heart.slug}&page=2").get_data(as_text=True)
    assert sum(title in first for title in titles) == 2
    assert sum(title in second for title in titles) == 1
    assert "About breathing" not in first + second
    assert "A draft nobody" not in first + second
    everything = client.get("/articles").get_data(as_text=True)
    assert "Page 1 of 2" in everything
    assert client.get("/articles?topic=no-such-topic").status_code == 404
    assert client.get("/articles?page=banana").status_code == 200


def test_an_article_links_the_next_one_in_its_topic_and_related_questions(app: Flask) -> None:
    author, editor = make_expert(), make_user(role=Role.EDITOR)
    topic = make_topic()
    first = make_article(
        author,
        topic,
        ArticleStatus.PUBLISHED,
        editor=editor,
        title="The first article in the topic",
    )
    second = make_article(
        author,
        topic,
        ArticleStatus.PUBLISHED,
        editor=editor,
        title="The second article in the topic",
    )
    make_article(
        author,
        make_topic(),
        ArticleStatus.PUBLISHED,
        editor=editor,
        title="Elsewhere entirely, other topic",
    )
    from forum.communities import services as community_services
    from forum.threads import services as thread_services
    from tests.factories import make_community

    community = make_community(topic)
    thread = make_thread(community, title="Did anyone get a second opinion?")
    reply = make_reply(thread)
    assert thread.author is not None
    thread_services.accept_answer(thread.author, thread, reply)
    assert community_services is not None

    client = logged_in(app, None)
    page = client.get(f"/articles/{first.slug}").get_data(as_text=True)
    assert f'href="/articles/{second.slug}" rel="next"' in page
    assert "Elsewhere entirely" not in page
    assert "Did anyone get a second opinion?" in page
    wrapped = client.get(f"/articles/{second.slug}").get_data(as_text=True)
    assert f'href="/articles/{first.slug}" rel="next"' in wrapped


def test_authors_list_their_own_articles_in_every_state(app: Flask) -> None:
    author = make_expert()
    make_article(author, title="My draft about screening tests")
    make_article(author, status=ArticleStatus.IN_REVIEW, title="My article waiting for review")
    make_article(make_expert(), title="Somebody else's draft article")
    page = logged_in(app, author).get("/articles/mine").get_data(as_text=True)
    assert "My draft about screening" in page and "My article waiting" in page
    assert "Somebody else" not in page
    assert logged_in(app, None).get("/articles/mine").status_code == 302


def test_slugs_are_unique_and_never_a_page_name(app: Flask) -> None:
    author = make_expert()
    one = make_article(author, title="Queue!!!!!!")
    assert one.slug != "queue"
    two = make_article(author, title=TITLE)
    three = make_article(author, title=TITLE)
    assert two.slug != three.slug
    assert logged_in(app, author).get(f"/articles/{three.slug}").status_code == 200


# Demo content


def seed_accounts() -> User:
    """The demo accounts the article loader writes and reviews with."""
    make_user(name="dr_rivera")
    make_user(name="nurse_okafor")
    return make_user(name="demo_editor", role=Role.EDITOR)


def seed_row(number: int, topic: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"page-{number}",
        "topic": topic,
        "author": "dr_rivera",
        "title": f"Coping with treatment, part {number}",
        "summary": "What helps with fatigue.",
        "body": "## Rest\n\nShort naps help some people [1].",
        "citation": {
            "text": "National Cancer Institute. Fatigue. cancer.gov (text retrieved 2025-12-30).",
            "url": "https://www.cancer.gov/about-cancer/treatment/side-effects/fatigue",
            "evidence_level": "expert-opinion",
        },
        "source": "National Cancer Institute",
        "url": "https://www.cancer.gov/about-cancer/treatment/side-effects/fatigue",
        "retrieved": "2025-12-30",
    }
    row.update(overrides)
    return row


def test_the_demo_loader_publishes_each_article_once(app: Flask, tmp_path: Path) -> None:
    editor = seed_accounts()
    make_topic(slug="cancer", name="Cancer")
    folder = tmp_path / "articles"
    folder.mkdir()
    rows = [seed_row(1, "cancer"), seed_row(2, "no-such-topic")]
    (folder / "nci.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    medline = seed_row(
        3, "cancer", retrieved=None, source="MedlinePlus, U.S. National Library of Medicine"
    )
    (folder / "medlineplus.jsonl").write_text(json.dumps(medline), encoding="utf-8")

    report = SeedReport()
    load_articles(report, folder)
    assert report.created == {"articles": 2, "organizations": 2}
    again = SeedReport()
    load_articles(again, folder)
    assert again.created == {}
    articles = db.session.scalars(select(Article).order_by(Article.id)).all()
    assert [a.source_id for a in articles] == ["nci:page-1", "medlineplus:page-3"]
    assert all(a.status == ArticleStatus.PUBLISHED and a.reviewer_id == editor.id for a in articles)
    assert articles[1].source_retrieved_at is None

    page = logged_in(app, None).get(f"/articles/{articles[0].slug}").get_data(as_text=True)
    assert "Source: National Cancer Institute" in page
    assert "text retrieved <time" in page and "30 Dec 2025" in page
    assert "PDQ" not in page
    # The agency's text is credited to the agency, never to a demo expert.
    assert "From the <a" in page and ">National Cancer Institute</a>, reviewed by" in page
    assert "dr_rivera" not in page and "Adapted by" not in page
    assert "the source grades no level of evidence" in page and "Expert opinion" not in page
    assert 'href="#ref-1"' in page and '<li id="ref-1">' in page


def test_articles_of_an_older_demo_move_from_a_demo_expert_to_their_agency(
    app: Flask, tmp_path: Path
) -> None:
    seed_accounts()
    topic = make_topic(slug="cancer", name="Cancer")
    older = make_article(make_expert(name="older_author"), topic, ArticleStatus.PUBLISHED)
    older.source_id, older.source_name = "nci:old", "National Cancer Institute"
    db.session.commit()
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "nci.jsonl").write_text(json.dumps(seed_row(1, "cancer")), encoding="utf-8")
    load_articles(SeedReport(), folder)
    agency = db.session.scalar(select(User).where(User.name == "national_cancer_institute"))
    assert agency is not None and older.author_id == agency.id


def test_the_real_demo_articles_load_and_name_their_source(app: Flask) -> None:
    seed_accounts()
    for slug in ("diabetes", "heart-health", "cancer", "lung-health", "mental-health",
                 "digestive-health", "kidney-health", "brain-nerves"):  # fmt: skip
        make_topic(slug=slug, name=slug.replace("-", " ").title())
    report = SeedReport()
    load_articles(report)
    assert 60 <= report.created["articles"] <= 80
    nci = db.session.scalars(select(Article).where(Article.source_id.like("nci:%"))).all()
    assert len(nci) >= 25
    assert all(a.source_name == "National Cancer Institute" for a in nci)
    assert all(a.source_retrieved_at is not None for a in nci)
    assert all("PDQ" not in a.title + a.body_source for a in nci)
    every = db.session.scalars(select(Article)).all()
    assert all('href="#ref-1"' in a.body_html and len(a.citations) == 1 for a in every)
    again = SeedReport()
    load_articles(again)
    assert again.created == {}
