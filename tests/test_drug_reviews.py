"""Drug reviews (writing, editing, reporting, hiding) and safety notices."""

from __future__ import annotations

import gzip
import json

import pytest
from flask import Flask
from sqlalchemy import select

from forum.drugs.importer import DATA_DIR
from forum.extensions import db
from forum.models import DrugReview, DrugReviewReport, ModerationAction, NoticeDelivery, Role
from tests.conftest import text_of, visitor
from tests.drug_support import GOOD_REVIEW, count, post_review

# The fixture, imported with `as` so that it is kept.
from tests.drug_support import drugs as drugs
from tests.factories import make_user

# Reviews


def test_a_member_reviews_a_drug_and_sees_averages(app: Flask, drugs: None) -> None:
    client = visitor(app, make_user())
    response = post_review(client)
    assert response.status_code == 302
    review = db.session.scalar(select(DrugReview))
    assert review is not None and review.effectiveness == 4 and review.ease_of_use == 5
    assert "<strong>LDL</strong>" in review.comment_html
    page = text_of(visitor(app).get("/drugs/atorvastatin"))
    assert "High cholesterol" in page and "mild muscle aches" in page and "4.0" in page


def test_visitors_and_members_without_consent_cannot_review(app: Flask, drugs: None) -> None:
    response = post_review(visitor(app))
    assert response.status_code == 302 and "/account/login" in response.location
    no_consent = visitor(app, make_user(health_consent_at=None))
    assert post_review(no_consent).status_code == 403
    assert count(DrugReview) == 0


def test_one_review_per_member_drug_and_condition(app: Flask, drugs: None) -> None:
    client = visitor(app, make_user())
    assert post_review(client).status_code == 302
    again = post_review(client, condition="  high   CHOLESTEROL ", comment="Second thoughts.")
    assert again.status_code == 422
    assert "already reviewed" in text_of(again) and "Second thoughts." in text_of(again)
    assert post_review(client, condition="Angina").status_code == 302
    assert post_review(client, slug="simvastatin").status_code == 302
    assert count(DrugReview) == 3


@pytest.mark.parametrize(
    "fields",
    [{"effectiveness": "7"}, {"ease_of_use": "0"}, {"satisfaction": ""}, {"effectiveness": "x"}],
)
def test_ratings_must_be_1_to_5_and_the_form_keeps_the_text(
    app: Flask, drugs: None, fields: dict[str, str]
) -> None:
    response = post_review(visitor(app, make_user()), comment="Keep this text please.", **fields)
    assert response.status_code == 422
    page = text_of(response)
    assert "Keep this text please." in page and "mild muscle aches" in page
    assert count(DrugReview) == 0


def test_the_author_edits_a_review(app: Flask, drugs: None) -> None:
    author = make_user()
    client = visitor(app, author)
    post_review(client)
    review = db.session.scalar(select(DrugReview))
    assert review is not None
    form = text_of(client.get(f"/drugs/reviews/{review.id}/edit"))
    assert "It brought my **LDL** down" in form
    response = client.post(
        f"/drugs/reviews/{review.id}/edit", data={**GOOD_REVIEW, "satisfaction": "2"}
    )
    assert response.status_code == 302
    db.session.refresh(review)
    assert review.satisfaction == 2
    other = visitor(app, make_user())
    assert other.get(f"/drugs/reviews/{review.id}/edit").status_code == 403
    assert other.post(f"/drugs/reviews/{review.id}/delete").status_code == 403


def test_review_comments_are_sanitized_like_posts(app: Flask, drugs: None) -> None:
    client = visitor(app, make_user())
    post_review(
        client,
        comment="<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=y>",
    )
    review = db.session.scalar(select(DrugReview))
    assert review is not None
    html = review.comment_html
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html
    page = text_of(visitor(app).get("/drugs/atorvastatin")).split("<main")[1]
    assert "<script>alert" not in page and "<img src=x" not in page


def test_reported_reviews_reach_the_moderators_and_hidden_ones_disappear(
    app: Flask, drugs: None
) -> None:
    author, reporter = make_user(), make_user()
    moderator = make_user(role=Role.MODERATOR)
    post_review(visitor(app, author), comment="Buy cheap pills at my shop!")
    review = db.session.scalar(select(DrugReview))
    assert review is not None
    reporting = visitor(app, reporter)
    reported = reporting.post(f"/drugs/reviews/{review.id}/report", data={"reason": "spam"})
    assert reported.status_code == 302
    assert visitor(app, reporter).get("/drugs/reviews/reports").status_code == 403
    mod = visitor(app, moderator)
    assert "Buy cheap pills" in text_of(mod.get("/drugs/reviews/reports"))
    hidden = mod.post(f"/drugs/reviews/{review.id}/hide", data={"reason": "Advertising"})
    assert hidden.status_code == 302
    assert "Buy cheap pills" not in text_of(visitor(app).get("/drugs/atorvastatin"))
    assert "Buy cheap pills" not in text_of(reporting.get("/drugs/atorvastatin"))
    own = text_of(visitor(app, author).get("/drugs/atorvastatin"))
    assert "Buy cheap pills" in own and "Advertising" in own
    assert "No reviews yet" in text_of(visitor(app).get("/drugs/atorvastatin"))
    report = db.session.scalar(select(DrugReviewReport))
    assert report is not None and report.status.value == "resolved"
    action = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "review.hide")
    )
    assert action is not None and action.target_id == review.id


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/drugs/atorvastatin/reviews/new"),
        ("post", "/drugs/atorvastatin/reviews/new"),
        ("get", "/drugs/reviews/{id}/edit"),
        ("post", "/drugs/reviews/{id}/edit"),
        ("post", "/drugs/reviews/{id}/delete"),
        ("get", "/drugs/reviews/{id}/report"),
        ("post", "/drugs/reviews/{id}/hide"),
        ("get", "/drugs/reviews/reports"),
        ("get", "/drugs/notices/new"),
        ("post", "/my-medicine/check"),
    ],
)
def test_visitors_are_asked_to_log_in_for_review_and_notice_actions(
    app: Flask, drugs: None, method: str, url: str
) -> None:
    post_review(visitor(app, make_user()))
    review_id = db.session.scalar(select(DrugReview.id))
    client = visitor(app)
    target = url.format(id=review_id)
    response = client.get(target) if method == "get" else client.post(target, data=GOOD_REVIEW)
    assert response.status_code == 302 and "/account/login" in response.location
    assert count(DrugReview) == 1


def test_an_unknown_review_is_not_found(app: Flask, drugs: None) -> None:
    client = visitor(app, make_user())
    assert client.get("/drugs/reviews/999/edit").status_code == 404
    assert client.post("/drugs/reviews/999/report", data={"reason": "spam"}).status_code == 404


def test_members_cannot_hide_reviews(app: Flask, drugs: None) -> None:
    post_review(visitor(app, make_user()))
    review = db.session.scalar(select(DrugReview))
    assert review is not None
    response = visitor(app, make_user()).post(
        f"/drugs/reviews/{review.id}/hide", data={"reason": "I disagree"}
    )
    assert response.status_code == 403


def test_crisis_wording_in_a_review_is_flagged_for_the_moderators(app: Flask, drugs: None) -> None:
    post_review(visitor(app, make_user()), comment="Some days I want to kill myself.")
    report = db.session.scalar(select(DrugReviewReport))
    assert report is not None and report.reporter_id is None and report.priority < 0


# Safety notices


def test_an_editor_publishes_a_notice_and_members_taking_the_drug_are_told(
    app: Flask, drugs: None
) -> None:
    editor = make_user(role=Role.EDITOR)
    taking, combination, other = make_user(), make_user(), make_user()
    for member, name in ((taking, "Lipitor"), (combination, "ezetimibe/atorvastatin"),
                         (other, "metformin")):  # fmt: skip
        client = visitor(app, member)
        created = client.post("/my-medicine/profiles", data={"label": "Me"})
        client.post(created.location + "/entries", data={"drug": name})
    assert visitor(app, taking).get("/drugs/notices/new").status_code == 403
    response = visitor(app, editor).post(
        "/drugs/notices/new",
        data={"title": "Statin label update", "drugs": "atorvastatin", "body": "Read **this**."},
    )
    assert response.status_code == 302
    told = set(db.session.scalars(select(NoticeDelivery.user_id)))
    assert told == {taking.id, combination.id}
    assert "Statin label update" in text_of(visitor(app, taking).get("/my-medicine/alerts"))
    assert "Statin label update" in text_of(visitor(app).get("/drugs/atorvastatin"))
    late = make_user()
    client = visitor(app, late)
    created = client.post("/my-medicine/profiles", data={"label": "Dad"})
    client.post(created.location + "/entries", data={"drug": "atorvastatin"})
    assert late.id in set(db.session.scalars(select(NoticeDelivery.user_id)))


def test_a_notice_about_an_unknown_drug_is_refused(app: Flask, drugs: None) -> None:
    response = visitor(app, make_user(role=Role.EDITOR)).post(
        "/drugs/notices/new", data={"title": "Something new", "drugs": "foobarzol", "body": "x"}
    )
    assert response.status_code == 422 and "not in the drug directory" in text_of(response)


def test_shipped_summaries_are_stored_as_sanitized_html(app: Flask, drugs: None) -> None:
    with gzip.open(DATA_DIR / "nci_summaries.jsonl.gz", "rt", encoding="utf-8") as lines:
        first = json.loads(next(lines))
    assert first["url"].startswith("https://www.cancer.gov/")
