"""The second-reviewer rule: an editor who changed an article in review does not publish it, and
the author reads and accepts the editors' changes before anyone does."""

from __future__ import annotations

import pytest
from flask import Flask

from forum import policies
from forum.articles import services
from forum.errors import InvalidAction, NotAllowed
from forum.models import Article, ArticleStatus, Role, User
from tests.factories import make_user
from tests.test_articles import (
    BODY,
    audit_actions,
    content,
    is_login_redirect,
    logged_in,
    make_article,
    make_expert,
    refreshed,
)

CHANGED = BODY.replace("Most people", "Nearly all people")


def in_review_changed_by(editor: User) -> tuple[User, Article]:
    """An expert's article in review whose text an editor changed."""
    author = make_expert()
    article = make_article(author, status=ArticleStatus.IN_REVIEW)
    services.update_article(editor, article, content(article.topic, body=CHANGED))
    return author, article


def test_an_editor_who_changed_the_text_may_not_publish_it(app: Flask) -> None:
    changer, other = make_user(role=Role.EDITOR), make_user(role=Role.EDITOR)
    author, article = in_review_changed_by(changer)
    with pytest.raises(NotAllowed, match="You changed this text"):
        services.publish_article(changer, article)
    with pytest.raises(InvalidAction, match="not accepted"):
        services.publish_article(other, article)
    assert refreshed(article).status == ArticleStatus.IN_REVIEW
    services.accept_changes(author, article, article.revision_count)
    with pytest.raises(NotAllowed, match="You changed this text"):
        services.publish_article(changer, article)
    services.publish_article(other, article)
    published = refreshed(article)
    assert published.status == ArticleStatus.PUBLISHED and published.reviewer_id == other.id
    assert audit_actions(article) == ["article.submit", "article.accept", "article.publish"]


def test_every_editor_who_changed_the_text_is_kept_from_publishing(app: Flask) -> None:
    first, second, third = (make_user(role=Role.EDITOR) for _ in range(3))
    author, article = in_review_changed_by(first)
    services.update_article(second, article, content(article.topic, body=CHANGED + " Fixed."))
    services.accept_changes(author, article, article.revision_count)
    assert not policies.can_publish_article(first, article)
    assert not policies.can_publish_article(second, article)
    assert policies.can_publish_article(third, article)


def test_the_author_reads_the_changes_and_accepts_them_on_the_page(app: Flask) -> None:
    changer, other = make_user(role=Role.EDITOR), make_user(role=Role.EDITOR)
    author, article = in_review_changed_by(changer)
    path = f"/articles/{article.slug}"
    author_page = logged_in(app, author).get(path).get_data(as_text=True)
    assert "Changes by editors" in author_page
    assert "-Most people who ask" in author_page and "+Nearly all people who ask" in author_page
    assert "Accept these changes" in author_page
    other_page = logged_in(app, other).get(path).get_data(as_text=True)
    assert "Waiting for the author to accept" in other_page
    assert "Publish as reviewer" not in other_page
    changer_page = logged_in(app, changer).get(path).get_data(as_text=True)
    assert "You changed this text" in changer_page and "Publish as reviewer" not in changer_page

    author_client = logged_in(app, author)
    accepted = author_client.post(f"{path}/accept", data={"revision": str(article.revision_count)})
    assert accepted.status_code == 302
    assert refreshed(article).accepted_revision == article.revision_count
    assert "Accept these changes" not in author_client.get(path).get_data(as_text=True)
    other_client = logged_in(app, other)
    assert "Publish as reviewer" in other_client.get(path).get_data(as_text=True)
    assert logged_in(app, changer).post(f"{path}/publish").status_code == 403
    assert other_client.post(f"{path}/publish").status_code == 302
    assert refreshed(article).status == ArticleStatus.PUBLISHED


def test_accepting_a_text_that_changed_since_is_refused(app: Flask) -> None:
    changer = make_user(role=Role.EDITOR)
    author, article = in_review_changed_by(changer)
    seen = article.revision_count
    services.update_article(changer, article, content(article.topic, body=CHANGED + " More."))
    response = logged_in(app, author).post(
        f"/articles/{article.slug}/accept", data={"revision": str(seen)}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The text changed since you opened it" in page and "More." in page
    assert refreshed(article).accepted_revision is None
    # A later change needs a new acceptance.
    services.accept_changes(author, article, article.revision_count)
    services.update_article(changer, article, content(article.topic, body=CHANGED + " Again."))
    assert policies.has_unaccepted_changes(refreshed(article))


def test_only_the_author_accepts_and_only_changes_in_review(app: Flask) -> None:
    changer = make_user(role=Role.EDITOR)
    author, article = in_review_changed_by(changer)
    path = f"/articles/{article.slug}/accept"
    data = {"revision": str(article.revision_count)}
    assert is_login_redirect(logged_in(app, None).post(path, data=data))
    for someone in (changer, make_user(role=Role.EDITOR), make_expert()):
        assert logged_in(app, someone).post(path, data=data).status_code in (403, 404)
    assert refreshed(article).accepted_revision is None
    untouched = make_article(author, status=ArticleStatus.IN_REVIEW, title="Another title here")
    with pytest.raises(NotAllowed):
        services.accept_changes(author, untouched, untouched.revision_count)


def test_the_authors_own_rewrite_makes_the_text_theirs_again(app: Flask) -> None:
    changer = make_user(role=Role.EDITOR)
    author, article = in_review_changed_by(changer)
    services.return_article(changer, article, "Please check my wording.")
    services.update_article(author, article, content(article.topic, body=CHANGED + " Mine."))
    services.submit_article(author, article)
    assert not policies.has_unaccepted_changes(article)
    services.publish_article(changer, article)
    assert refreshed(article).status == ArticleStatus.PUBLISHED
