"""The drug directory: import, finding drugs, drug pages, reviews, linking, safety notices."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from werkzeug.test import TestResponse

from forum import cache
from forum.drugs.importer import DATA_DIR, import_drugs
from forum.extensions import db
from forum.models import (
    Drug,
    DrugName,
    DrugReview,
    DrugReviewReport,
    InteractionRule,
    ModerationAction,
    NoticeDelivery,
    Role,
)
from tests.conftest import CsrfClient, text_of, visitor
from tests.drug_data import drug, import_subset, write_subset
from tests.factories import make_community, make_reply, make_thread, make_user

GOOD_REVIEW = {
    "condition": "High cholesterol",
    "effectiveness": "4",
    "ease_of_use": "5",
    "satisfaction": "4",
    "side_effects": "mild muscle aches",
    "comment": "It brought my **LDL** down in three months.",
}


def count(model: type[object]) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def shipped_rows(name: str) -> int:
    opener: Any = gzip.open if name.endswith(".gz") else open
    with opener(DATA_DIR / name, "rt", encoding="utf-8") as handle:
        if ".jsonl" in name:
            return sum(1 for line in handle if line.strip())
        return sum(1 for _ in csv.DictReader(handle))


@pytest.fixture
def drugs(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)


# Import


def test_importing_the_shipped_data_loads_every_file_and_twice_changes_nothing(
    app: Flask,
) -> None:
    first = import_drugs()
    assert first["drugs"] == shipped_rows("drugs.csv.gz") > 13_000
    assert first["names"] == shipped_rows("drugs.csv.gz") + shipped_rows("names.csv.gz")
    assert first["indications"] == shipped_rows("indications.csv")
    assert first["label_excerpts"] == shipped_rows("labels.jsonl.gz")
    assert first["summaries"] == shipped_rows("nci_summaries.jsonl.gz")
    assert first["interaction_rules"] == shipped_rows("interaction_rules.csv.gz") > 2_500
    assert count(InteractionRule) == first["interaction_rules"]
    atorvastatin_id = drug("atorvastatin").id
    second = import_drugs()
    assert second == first
    assert count(Drug) == first["drugs"] and count(DrugName) == first["names"]
    assert drug("atorvastatin").id == atorvastatin_id


def test_reimporting_keeps_reviews_and_unlists_drugs_gone_from_the_data(
    app: Flask, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    member = make_user()
    db.session.add(
        DrugReview(
            drug_id=drug("metformin").id, author_id=member.id, condition="Diabetes",
            condition_key="diabetes", effectiveness=4, ease_of_use=4, satisfaction=4,
        )
    )  # fmt: skip
    db.session.commit()
    smaller = write_subset(tmp_path / "smaller", ["atorvastatin", "clarithromycin"])
    counts = import_drugs(smaller)
    assert counts["drugs_listed"] == 2
    assert count(DrugReview) == 1
    assert not drug("metformin").is_listed and drug("atorvastatin").is_listed


def test_the_import_command_shows_progress_and_a_summary(app: Flask, tmp_path: Path) -> None:
    folder = write_subset(tmp_path / "data")
    result = app.test_cli_runner().invoke(args=["import", "drugs", "--data", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Importing drugs" in result.output
    assert "drugs imported: drugs 15," in result.output
    rerun = app.test_cli_runner().invoke(args=["import", "drugs", "--data", str(folder)])
    assert rerun.exit_code == 0 and count(Drug) == 15


def test_the_import_command_fails_clearly_on_missing_files(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["import", "drugs", "--data", str(tmp_path)])
    assert result.exit_code != 0
    assert "could not be read" in result.output
    assert count(Drug) == 0


def test_shipped_data_stays_small_and_keeps_its_attribution() -> None:
    size = sum(path.stat().st_size for path in DATA_DIR.iterdir())
    assert size <= 8 * 1024 * 1024
    attribution = (DATA_DIR / "ATTRIBUTION.md").read_text()
    for source in ("DrugBank", "PharmacotherapyDB", "LabeledIn", "National Cancer Institute"):
        assert source in attribution
    assert "ANSM" in attribution and "Phansalkar" in attribution


# Finding drugs


def test_a_brand_name_search_leads_to_its_drug(client: CsrfClient, drugs: None) -> None:
    response = client.get("/drugs/", query_string={"q": "Lipitor"})
    assert response.status_code == 302
    assert response.location.endswith("/drugs/atorvastatin")


def test_a_partial_name_lists_matching_drugs(client: CsrfClient, drugs: None) -> None:
    page = text_of(client.get("/drugs/", query_string={"q": "atorva"}))
    assert "/drugs/atorvastatin" in page and "/drugs/ezetimibe-atorvastatin" in page
    assert "No drug by that name" in text_of(client.get("/drugs/?q=zzzzqq"))


def test_autocomplete_suggests_names_and_brands_with_their_drug(
    client: CsrfClient, drugs: None
) -> None:
    results = client.get("/drugs/autocomplete", query_string={"q": "lip"}).get_json()["results"]
    assert {"name": "Lipitor", "drug": "Atorvastatin", "kind": "brand",
            "url": "/drugs/atorvastatin"} in results  # fmt: skip
    posted = client.post("/drugs/autocomplete", data={"q": "CLARI"}).get_json()["results"]
    assert posted[0]["drug"] == "Clarithromycin"
    assert client.get("/drugs/autocomplete?q=l").get_json() == {"results": []}


def test_drugs_are_found_by_condition_and_its_synonyms(client: CsrfClient, drugs: None) -> None:
    page = text_of(client.get("/drugs/", query_string={"condition": "high blood pressure"}))
    assert "Hypertension" in page and "/drugs/lisinopril" in page
    none = text_of(client.get("/drugs/", query_string={"condition": "qqqq"}))
    assert "We found no drugs" in none


def test_a_to_z_shows_common_medicines_and_everything_on_request(
    client: CsrfClient, drugs: None
) -> None:
    page = text_of(client.get("/drugs/?letter=a"))
    assert "/drugs/atorvastatin" in page and "/drugs/aspirin" in page
    assert client.get("/drugs/?letter=a&all=1").status_code == 200
    assert client.get("/drugs/?letter=%3Cx%3E").status_code == 200


# Drug pages


def test_the_drug_page_shows_names_uses_and_their_sources(client: CsrfClient, drugs: None) -> None:
    page = text_of(client.get("/drugs/atorvastatin"))
    assert "<h1>Atorvastatin</h1>" in page
    assert "Lipitor" in page
    assert "What Atorvastatin is used for" in page and "Hypercholesterolemia" in page
    assert "LabeledIn" in page and "label version 2012" in page
    assert "Informational only: ask your pharmacist or doctor." in page


def test_the_drug_page_shows_nci_summaries_and_label_warnings(
    client: CsrfClient, drugs: None
) -> None:
    cancer = text_of(client.get("/drugs/abemaciclib"))
    assert "National Cancer Institute" in cancer and "Verzenio" in cancer
    label = text_of(client.get("/drugs/clopidogrel"))
    assert "Label warnings and interactions" in label and "May 2014" in label


def test_an_unknown_drug_is_not_found(client: CsrfClient, drugs: None) -> None:
    assert client.get("/drugs/no-such-drug").status_code == 404


def test_the_community_section_lists_visible_threads_endorsed_first(
    app: Flask, drugs: None
) -> None:
    plain = make_thread(title="Muscle aches on atorvastatin?", body="Does anyone get aches?")
    endorsed = make_thread(title="Switching from Lipitor to another statin", body="Any tips?")
    endorsed.has_expert_answer = True
    secret = make_thread(
        make_community(is_private=True), title="Private: my atorvastatin story", body="Secret."
    )
    db.session.commit()
    page = text_of(visitor(app).get("/drugs/atorvastatin"))
    assert page.index(f"/threads/{endorsed.id}") < page.index(f"/threads/{plain.id}")
    assert f"/threads/{secret.id}" not in page


def test_the_drug_page_needs_the_same_queries_for_many_reviews(app: Flask, drugs: None) -> None:
    def queries_for_page() -> int:
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(str(args[2]))

        cache.clear(app)  # every count computes the whole page (a commit clears it too)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert visitor(app).get("/drugs/atorvastatin").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    post_review(visitor(app, make_user()))
    queries_for_page()  # the first search also checks the index outbox
    few = queries_for_page()
    for number in range(5):
        post_review(visitor(app, make_user()), condition=f"Condition {number}")
    assert queries_for_page() == few


# Drug names in posts


def test_drug_names_in_posts_link_once_and_never_in_code_or_links(app: Flask, drugs: None) -> None:
    thread = make_thread(body="I take Lipitor daily. Lipitor again, and aspirin.")
    reply = make_reply(
        thread, body="Not here: `atorvastatin` or [warfarin](https://example.org), but Metformin."
    )
    assert thread.opening_post is not None
    html = thread.opening_post.body_html
    assert html.count('href="/drugs/atorvastatin"') == 1
    assert '<a href="/drugs/aspirin" class="drug"' in html
    assert "/drugs/warfarin" not in reply.body_html
    assert "<code>atorvastatin</code>" in reply.body_html
    assert 'href="/drugs/metformin"' in reply.body_html


def test_only_whole_words_of_four_letters_or_more_link(app: Flask, drugs: None) -> None:
    reply = make_reply(make_thread(), body="Lipitor-like pills and metforminX are not drugs.")
    assert "/drugs/" not in reply.body_html


# Reviews


def post_review(client: CsrfClient, slug: str = "atorvastatin", **fields: str) -> TestResponse:
    return client.post(f"/drugs/{slug}/reviews/new", data={**GOOD_REVIEW, **fields})


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
