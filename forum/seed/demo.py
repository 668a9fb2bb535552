"""Load demo accounts and content, idempotently, from the public data in seed/data."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from forum.auth import services as accounts
from forum.communities import services as communities
from forum.drugs.importer import import_drugs
from forum.errors import DomainError, InvalidAction
from forum.experts import services as experts
from forum.extensions import db
from forum.imports import qa as importer
from forum.models import Community, Drug, HealthTopic, Role, Thread, User, utcnow
from forum.pills.importer import import_samples
from forum.seed.articles import load_articles
from forum.threads import services as threads

DATA = Path(__file__).with_name("data")
# Local demo accounts only; README says so and `--password` changes it.
DEMO_PASSWORD = "demo-forum-password"  # noqa: S105
DEMO_USERS: tuple[tuple[str, Role], ...] = (
    ("demo_admin", Role.ADMIN),
    ("demo_moderator", Role.MODERATOR),
    ("demo_editor", Role.EDITOR),
    ("dr_rivera", Role.MEMBER),
    ("nurse_okafor", Role.MEMBER),
    ("hopeful_hannah", Role.MEMBER),
    ("walking_wes", Role.MEMBER),
    ("sunny_side", Role.MEMBER),
    ("quiet_reader", Role.MEMBER),
    ("garden_gran", Role.MEMBER),
    ("cyclist_sam", Role.MEMBER),
    ("tea_and_toast", Role.MEMBER),
    ("night_owl_nia", Role.MEMBER),
    ("steady_steps", Role.MEMBER),
)
# Imported reference answers are posted under this account, with their source.
REFERENCE_ACCOUNT = "nih_reference_answers"
ASKERS = [name for name, role in DEMO_USERS if role == Role.MEMBER and name != "quiet_reader"]
SUPPORT_REPLIES = (
    "Thank you for asking this. I had the same worry last year, and writing my questions "
    "down before the appointment helped me a lot.",
    "Following: I would like to know too. Please update us after you talk to your doctor.",
    "That sounds hard. You are not alone here. Did your pharmacist have any suggestions?",
    "When I was in a similar spot my care team adjusted things slowly, one change at a time.",
)


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count

    def summary(self) -> str:
        if not self.created:
            return "nothing new"
        return ", ".join(f"{count} {what}" for what, count in sorted(self.created.items()))


def _lines(name: str) -> Iterator[dict[str, Any]]:
    path = DATA / name
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _user(name: str) -> User:
    user = accounts.find_user_by_name(name)
    assert user is not None, name
    return user


def load_demo(password: str = DEMO_PASSWORD) -> SeedReport:
    """Create whatever part of the demo content is missing."""
    report = SeedReport()
    joined = utcnow() - timedelta(days=400)
    for name, role in DEMO_USERS:
        user = accounts.find_user_by_name(name)
        if user is None:
            user = accounts.register_user(name, f"{name}@example.org", password, role=role)
            report.add("users")
        # Demo members joined long ago and agreed to the health-data terms, so the
        # new-account safeguards do not hold their posts (also for accounts of older seeds).
        user.created_at = min(user.created_at, joined)
        if user.health_consent_at is None:
            user.health_consent_at = joined
            user.health_consent_version = current_app.config["HEALTH_CONSENT_VERSION"]
        db.session.commit()
    if accounts.find_user_by_name(REFERENCE_ACCOUNT) is None:
        experts.create_organization(
            REFERENCE_ACCOUNT, "NIH health information (MedQuAD)", "https://medlineplus.gov/"
        )
        report.add("organizations")
    _load_topics(report)
    _load_questions(report)
    _load_reference_answers(report)
    load_articles(report)
    _load_drug_directory(report)
    import_samples(report)
    return report


def _load_drug_directory(report: SeedReport) -> None:
    """The shipped drug directory, once: drug pages, the cabinet and the pills' links need it."""
    if db.session.scalar(select(Drug.id).limit(1)) is None:
        import_drugs()
        report.add("drug directory")


def _load_topics(report: SeedReport) -> None:
    path = DATA / "topics.json"
    if not path.exists():
        return
    moderator = _user("demo_moderator")
    members = [_user(name) for name in ASKERS]
    for spec in json.loads(path.read_text(encoding="utf-8")):
        topic = db.session.scalar(select(HealthTopic).where(HealthTopic.slug == spec["slug"]))
        if topic is None:
            topic = communities.create_topic(None, spec["slug"], spec["name"], spec["summary"])
            report.add("topics")
        for item in spec["communities"]:
            if db.session.scalar(select(Community.id).where(Community.slug == item["slug"])):
                continue
            community = communities.create_community(
                None,
                item["slug"],
                item["name"],
                topic,
                description=item.get("description", ""),
                rules=item.get("rules", ""),
                is_private=bool(item.get("private")),
                allow_anonymous=bool(item.get("allow_anonymous")),
            )
            report.add("communities")
            communities.add_member(None, community, moderator, moderator=True)
            for member in members[:: 2 if community.is_private else 1]:
                communities.add_member(None, community, member)


def _load_questions(report: SeedReport) -> None:
    answers = {row["question_id"]: row for row in _lines("answers.jsonl")}
    reference = _user(REFERENCE_ACCOUNT)
    rng = random.Random(20261127)
    for row in _lines("questions.jsonl"):
        source_id = f"meqsum:{row['id']}"
        if db.session.scalar(select(Thread.id).where(Thread.source_id == source_id)):
            continue
        community = db.session.scalar(select(Community).where(Community.slug == row["community"]))
        if community is None:
            continue
        asker = _user(rng.choice(ASKERS))
        anonymous = community.allow_anonymous and rng.random() < 0.3
        thread = threads.create_thread(
            asker, community, row["title"], row["body"], row.get("tags", []), anonymous=anonymous
        )
        thread.source_id = source_id
        db.session.commit()
        report.add("questions")
        helpers = [name for name in ASKERS if name != asker.name]
        for text in rng.sample(SUPPORT_REPLIES, k=rng.randint(0, 2)):
            try:
                threads.post_reply(_user(rng.choice(helpers)), thread, text)
            except InvalidAction:
                continue  # the same member said the same a moment ago
            report.add("replies")
        answer = answers.get(row["id"])
        if answer:
            try:
                post = threads.post_reply(
                    reference, thread, _reference_body(answer), confirm_personal_info=True
                )
            except InvalidAction:
                continue  # the same reference text was just posted to another question
            report.add("reference answers")
            for voter in rng.sample(helpers, k=rng.randint(0, 4)):
                threads.vote_helpful(_user(voter), post)
            if rng.random() < 0.6:
                threads.accept_answer(asker, thread, post)


def _load_reference_answers(report: SeedReport) -> None:
    """MedQuAD pairs chosen per topic, imported as `flask import qa` does (idempotent)."""
    reference = _user(REFERENCE_ACCOUNT)
    for number, row in enumerate(_lines("reference_qa.jsonl"), start=1):
        community = db.session.scalar(select(Community).where(Community.slug == row["community"]))
        parsed = importer.parse_row(number, row)
        if community is None or isinstance(parsed, importer.BadLine):
            continue
        try:
            outcome = importer.import_qa_row(reference, community, parsed)
        except DomainError:
            db.session.rollback()
            continue
        if outcome == "created":
            report.add("reference questions")


def _reference_body(row: dict[str, Any]) -> str:
    source = row.get("source", "NIH")
    url = row.get("url", "")
    link = f" [{url}]({url})" if url.startswith(("http://", "https://")) else ""
    return (
        f"{row['answer'].strip()}\n\n---\n*Source: {source} via the MedQuAD collection "
        f"(U.S. government text, public domain).{link} Shared for information: it does not "
        "replace advice from your own doctor.*"
    )
