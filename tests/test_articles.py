"""Articles: who may do what (the permission table) and the review workflow through the pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from forum import policies
from forum.articles import services
from forum.errors import InvalidAction, NotAllowed
from forum.extensions import db
from forum.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ExpertProfile,
    ModerationAction,
    Role,
    User,
    utcnow,
)

# Re-exported (`as`): other test modules import these from here.
from tests.article_support import BODY as BODY
from tests.article_support import TITLE, counts, form_data, snapshot
from tests.article_support import audit_actions as audit_actions
from tests.article_support import content as content
from tests.article_support import make_article as make_article
from tests.article_support import make_expert as make_expert
from tests.article_support import refreshed as refreshed
from tests.conftest import CsrfClient, login
from tests.factories import make_topic, make_user
from tests.web_support import is_login_redirect as is_login_redirect
from tests.web_support import logged_in as logged_in

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
