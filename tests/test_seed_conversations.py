"""The demo's conversations: members ask, members share experience, experts answer in scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Community,
    Endorsement,
    EvidenceLevel,
    HealthTopic,
    Post,
    Thread,
    User,
    Vote,
)
from forum.seed import conversations, demo
from forum.seed.conversations import evidence_level
from forum.seed.replies import PEER_REPLIES, SUPPORT_GROUP_REPLIES, THANKS
from tests.conftest import make_app, text_of, visitor

TOPICS = [
    {"slug": "diabetes", "name": "Diabetes", "summary": "Blood sugar.", "communities": [
        {"slug": "diabetes-questions", "name": "Diabetes questions"},
        {"slug": "diabetes-everyday-living", "name": "Everyday living"}]},
    {"slug": "cancer", "name": "Cancer", "summary": "Cancer care.", "communities": [
        {"slug": "cancer-questions", "name": "Cancer questions"},
        {"slug": "living-with-cancer", "name": "Living with cancer", "private": True,
         "allow_anonymous": True}]},
    {"slug": "mental-health", "name": "Mental health", "summary": "Mind.", "communities": [
        {"slug": "mental-health-questions", "name": "Mental health questions"},
        {"slug": "mental-health-peer-support", "name": "Peer support", "private": True}]},
]  # fmt: skip
REFERENCE = {
    "diabetes": ("NIDDK", "Type 2 Diabetes", "Experts recommend that people with diabetes - "
                 "Check their feet every day - See a foot doctor once a year"),
    "cancer": ("CancerGov", "Breast Cancer", "Breast cancer is a disease in which malignant "
               "cells form in the tissues of the breast."),
    "mental-health": ("MPlusHealthTopics", "Depression", "Depression is a serious medical "
                      "illness. NIH: National Institute of Mental Health"),
}  # fmt: skip


def write_data(folder: Path) -> None:
    folder.mkdir()
    (folder / "topics.json").write_text(json.dumps(TOPICS), encoding="utf-8")
    questions, answers = [], []
    for topic in TOPICS:
        slug = str(topic["slug"])
        source, focus, text = REFERENCE[slug]
        for n in range(4):
            qid = f"meqsum-{slug}-{n}"
            questions.append({
                "id": qid, "topic": slug, "community": f"{slug}-questions",
                "title": f"Question {n} about {focus.lower()} from a member",
                "body": f"I was told I may have {focus.lower()} ({n}). What should I ask?",
                "tags": [],
            })  # fmt: skip
            answers.append({
                "question_id": qid, "medquad_id": f"{source}_{n}", "source": source,
                "url": f"https://example.gov/{slug}/{n}", "focus": focus,
                "answer": f"{text} ({n})",
            })  # fmt: skip
    for name, rows in (("questions.jsonl", questions), ("answers.jsonl", answers)):
        lines = "".join(json.dumps(row) + "\n" for row in rows)
        (folder / name).write_text(lines, encoding="utf-8")


@pytest.fixture
def seeded(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The demo loaded from a small data folder (no drug directory, articles or pills)."""
    write_data(tmp_path / "data")
    monkeypatch.setattr(demo, "DATA", tmp_path / "data")
    monkeypatch.setattr(conversations, "DATA", tmp_path / "data")
    for name in ("_load_drug_directory", "import_samples", "load_articles"):
        monkeypatch.setattr(demo, name, lambda report: None)
    with app.test_request_context("/"):
        demo.load_demo()
    return app


def posts_by(name: str) -> list[Post]:
    return list(
        db.session.scalars(
            select(Post).join(User, User.id == Post.author_id).where(User.name == name)
        )
    )


def topic_of(post: Post) -> str:
    return db.session.get(HealthTopic, post.thread.community.topic_id).slug  # type: ignore[union-attr]


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Thread, Post, Vote, Endorsement)
    )


def test_experts_answer_only_inside_their_verified_topics(seeded: Flask) -> None:
    nurse, internist = posts_by("nurse_okafor"), posts_by("dr_rivera")
    assert nurse and {topic_of(post) for post in nurse} == {"cancer"}
    assert {topic_of(post) for post in internist} <= {"diabetes"}
    for post in nurse + internist:
        assert not post.is_opening
        assert "Source:" in post.body_source and "https://example.gov/" in post.body_source
    endorsers = db.session.scalars(select(Endorsement)).all()
    assert endorsers and all(
        topic_of(e.post) in {"cancer", "diabetes"} and e.post.author.name == demo.REFERENCE_ACCOUNT
        for e in endorsers
    )
    # Nobody is verified for mental health: no expert answer and no endorsement there.
    mental = select(Thread.id).join(Community).where(Community.slug.startswith("mental-health"))
    assert db.session.scalars(mental).all()
    assert not db.session.scalars(mental.where(Thread.has_expert_answer.is_(True))).all()
    levels = {topic_of(e.post): e.evidence_level for e in endorsers}
    assert levels.get("diabetes") == EvidenceLevel.GUIDELINE  # "Experts recommend ..."
    assert levels.get("cancer") == EvidenceLevel.EXPERT_OPINION
    assert evidence_level("A randomized trial found ...") == EvidenceLevel.RANDOMIZED_TRIAL


def test_members_share_experience_in_every_community_and_mark_what_helped(
    seeded: Flask,
) -> None:
    members = [name for name in demo.ASKERS if name not in ("dr_rivera", "nurse_okafor")]
    allowed = set(PEER_REPLIES) | set(SUPPORT_GROUP_REPLIES) | set(THANKS)
    replies = db.session.scalars(
        select(Post)
        .join(User, User.id == Post.author_id)
        .where(User.name.in_(members), Post.is_opening.is_(False))
    ).all()
    assert len(replies) >= 15
    assert {post.body_source for post in replies} <= allowed
    empty = db.session.scalars(
        select(Community.slug).where(
            ~select(Thread.id).where(Thread.community_id == Community.id).exists()
        )
    ).all()
    assert empty == []
    reference = select(Post).join(User, User.id == Post.author_id)
    answers = db.session.scalars(reference.where(User.name == demo.REFERENCE_ACCOUNT)).all()
    assert answers and min(post.helpful_count for post in answers) >= 1
    accepted = db.session.scalars(
        select(Post)
        .join(Thread, Thread.accepted_post_id == Post.id)
        .where(Thread.source_id.startswith("meqsum:"))
    ).all()
    assert accepted
    for post in accepted:
        assert post.thread.author_id != post.author_id  # the asker marks someone else's reply
    endorsed = db.session.scalars(
        select(Thread)
        .join(Community)
        .where(Community.slug == "cancer-questions", Thread.has_expert_answer)
    ).first()
    assert endorsed is not None
    page = text_of(visitor(seeded).get(f"/threads/{endorsed.id}"))
    assert "Expert-endorsed" in page and "Oncology nursing" in page
    assert "Source: National Cancer Institute" in page


def fingerprint() -> list[tuple[str, str, str, int, int, bool]]:
    return sorted(
        (
            t.source_id or "",
            t.community.slug,
            t.author.name if t.author else "",
            t.reply_count,
            sum(
                p.helpful_count
                for p in db.session.scalars(select(Post).where(Post.thread_id == t.id))
            ),
            t.accepted_post_id is not None,
        )
        for t in db.session.scalars(select(Thread))
    )


def test_seeding_again_adds_nothing(seeded: Flask) -> None:
    before = counts()
    with seeded.test_request_context("/"):
        report = demo.load_demo()
    assert report.summary() == "nothing new"
    assert counts() == before


def test_the_demo_is_the_same_on_every_machine(
    seeded: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fingerprint()
    (tmp_path / "second").mkdir()
    second = make_app(tmp_path / "second")
    with second.app_context(), second.test_request_context("/"):
        db.create_all()
        demo.load_demo()
        assert fingerprint() == first
        db.session.remove()
        db.engine.dispose()
