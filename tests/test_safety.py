"""Crisis wording: self-harm and medical emergencies told apart, measured on real questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from forum.crisis import CrisisKind, detect
from forum.extensions import db
from forum.models import Community, Report, ReportReason, User
from forum.moderation import services as moderation
from forum.safety import assess
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_reply, make_thread, make_user

LABELLED = Path(__file__).parent / "data" / "crisis_labelled.jsonl"
KINDS = ("self-harm", "medical-emergency")
WRITTEN = "written for this test"


def labelled() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]


def scores(rows: list[dict[str, Any]], found: dict[str, list[str]]) -> dict[str, str]:
    """Precision and recall of each kind over the rows (a text may be flagged for both)."""
    summary = {}
    for kind in KINDS:
        flagged = [row for row in rows if kind in found[row["id"]]]
        relevant = [row for row in rows if row["label"] == kind]
        hits = [row for row in flagged if row["label"] == kind]
        precision = f"{len(hits)}/{len(flagged)}" if flagged else "-"
        recall = f"{len(hits)}/{len(relevant)}" if relevant else "-"
        summary[kind] = f"{len(flagged)} flagged, precision {precision}, recall {recall}"
    return summary


def moderator_of(community: Community) -> User:
    user = make_user()
    make_membership(community, user, moderator=True)
    return user


# Measured on real consumer questions


def test_crisis_detection_is_measured_on_real_consumer_questions(app: Flask) -> None:
    rows = labelled()
    real = [row for row in rows if row["source"] != WRITTEN]
    written = [row for row in rows if row["source"] == WRITTEN]
    assert len(real) >= 100
    assert {row["label"] for row in rows} == {"none", *KINDS}
    found = {row["id"]: [kind.value for kind in detect(row["text"])] for row in rows}
    report = (
        f"real consumer questions ({len(real)}): {scores(real, found)}\n"
        f"written examples ({len(written)}): {scores(written, found)}\n"
        f"all ({len(rows)}): {scores(rows, found)}"
    )
    print(report)
    false_self_harm = [
        row["id"] for row in real if row["label"] != "self-harm" and "self-harm" in found[row["id"]]
    ]
    assert false_self_harm == [], f"self-harm flags on questions that are not: {report}"
    missed = [
        (row["id"], row["text"])
        for row in written
        if row["label"] != "none" and row["label"] not in found[row["id"]]
    ]
    assert missed == [], f"written crisis examples missed: {report}"
    false_written = [row["id"] for row in written if row["label"] == "none" and found[row["id"]]]
    assert false_written == [], f"written informational questions flagged: {report}"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("What is the maximum dosage of metformin?", []),
        ("heroin mixed with fentanyl what are the symptoms of an overdose", []),
        ("Can chest pain be a side effect of sumatriptan?", []),
        ("I don't want to die from this cancer.", []),
        ("I\u2019m not okay, I want to die.", ["self-harm"]),
        ("I took 30 of my sleeping pills an hour ago.", ["medical-emergency"]),
        ("I took all my pills because I want to die.", ["self-harm", "medical-emergency"]),
        ("My husband's face is drooping and he can't lift his arm.", ["medical-emergency"]),
        ("I hurt myself playing tennis, which painkiller is safe?", []),
        ("I can't breathe through my nose at night.", []),
    ],
)
def test_crisis_wording_is_read_in_context(app: Flask, text: str, kinds: list[str]) -> None:
    assert [kind.value for kind in detect(text)] == kinds
    assert assess(text).crisis_kind == (CrisisKind(kinds[0]) if kinds else None)


@pytest.mark.config(
    CRISIS_PHRASES=["walk into the sea"], EMERGENCY_PHRASES=["fell down the stairs"]
)
def test_the_phrase_lists_are_settings(app: Flask) -> None:
    assert assess("Tonight I will walk into the sea.").crisis_kind == CrisisKind.SELF_HARM
    assert assess("Mum fell down the stairs").crisis_kind == CrisisKind.MEDICAL_EMERGENCY
    assert assess("I won't walk into the sea.").crisis_kind is None


# Posting, pages and the queue


def test_a_dosage_question_is_not_a_crisis(app: Flask, client: CsrfClient) -> None:
    thread = make_thread(body="What is the maximum dosage of metformin?")
    assert thread.opening_post is not None and not thread.opening_post.is_urgent
    assert db.session.scalars(select(Report)).all() == []
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Call or text 988" not in page
    assert 'id="crisis-self-harm"' not in page


def test_a_medical_emergency_says_call_now_and_not_the_suicide_line(
    app: Flask, client: CsrfClient
) -> None:
    author = make_user()
    post = make_reply(
        make_thread(), author, "My husband's face is drooping and he can't lift his arm"
    )
    assert post.is_urgent and post.crisis_kind == "medical-emergency"
    report = db.session.scalars(select(Report).where(Report.post_id == post.id)).one()
    assert report.reason == ReportReason.OTHER and report.reporter_id is None
    reader = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert "This may be a medical emergency" in reader
    assert "call your emergency number now" in reader
    assert "988 Suicide" not in reader
    assert 'id="crisis-self-harm"' not in reader


def test_readers_of_a_flagged_post_see_wording_for_readers(app: Flask, client: CsrfClient) -> None:
    author = make_user()
    post = make_reply(make_thread(), author, "Some nights I want to end my life")
    assert post.crisis_kind == "self-harm"
    page = app.test_client().get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert "If you or someone you know is thinking about suicide or self-harm" in page
    assert "Your post will still be published" not in page
    assert "Call or text 988" in page
    login(client, author)
    own = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    panel = own.split('id="crisis-self-harm"')[1].split("</aside>")[0]
    assert "If you are thinking about harming yourself" in panel
    assert "cannot reach you in an emergency" in panel
    assert "Your post will still be published" not in panel


def test_a_post_flagged_before_the_split_still_shows_the_crisis_lines(
    app: Flask, client: CsrfClient
) -> None:
    post = make_reply(make_thread(), body="Old words")
    post.is_urgent = True
    db.session.commit()
    page = client.get(f"/threads/{post.thread_id}").get_data(as_text=True)
    assert "Call or text 988" in page


def test_the_queue_puts_self_harm_first_then_medical_emergencies_then_reports(
    app: Flask,
) -> None:
    community = make_community()
    thread = make_thread(community)
    spam = make_reply(thread, body="Buy cheap pills here")
    moderation.report_post(make_user(), spam, "spam")
    emergency = make_reply(thread, body="I took 30 of my sleeping pills an hour ago")
    dosage = make_reply(thread, body="What is the maximum dose of pregabalin?")
    reported = make_reply(thread, body="Nobody listens to me anymore")
    moderation.report_post(make_user(), reported, "self-harm")
    assert not dosage.is_urgent
    client = app.test_client()
    login(client, moderator_of(community))
    queue = client.get("/moderation").get_data(as_text=True)
    order = [queue.index(f'id="queue-report-{post.id}"') for post in (reported, emergency, spam)]
    assert order == sorted(order), "self-harm, then the medical emergency, then spam"
    cards = {
        post.id: queue.split(f'id="queue-report-{post.id}"')[1][:400]
        for post in (reported, emergency)
    }
    assert "Urgent · Self-harm risk" in cards[reported.id]
    assert "Medical emergency" in cards[emergency.id]
    assert "Self-harm risk" not in cards[emergency.id]
    assert "maximum dose of pregabalin" not in queue


def test_the_compose_form_carries_both_kinds_of_crisis_wording(
    app: Flask, client: CsrfClient
) -> None:
    community = make_community()
    login(client, make_user())
    page = client.get(f"/threads/new?community={community.slug}").get_data(as_text=True)
    assert 'data-crisis-kind="self-harm"' in page
    assert 'data-crisis-kind="medical-emergency"' in page
    assert "medical-emergency" in page.split("data-crisis-phrases=")[1][:200_000]
    composer = page.split('id="compose-crisis-self-harm"')[1].split("</aside>")[0]
    assert "Your post will still be published" in composer
