"""Load demo accounts and content, idempotently, from the public data in seed/data."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from forum import policies
from forum.auth import services as accounts
from forum.communities import services as communities
from forum.drugs.importer import import_drugs
from forum.errors import DomainError
from forum.experts import services as experts
from forum.extensions import db
from forum.imports import qa as importer
from forum.models import Community, Drug, HealthTopic, Post, Role, Thread, User, utcnow
from forum.pills.importer import import_samples
from forum.search import outbox
from forum.seed import DATA, SeedReport, read_records
from forum.seed.articles import load_articles
from forum.seed.conversations import Cast, load_conversations
from forum.seed.experts import DEMO_EXPERTS, ensure_demo_experts

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
# Imported reference questions date from before the members' conversations, spread over
# these many days, so the newest questions on the home page are the members' own.
REFERENCE_DAYS = (60, 420)


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
    # The experts speak only as experts: they neither ask nor share experiences in the demo.
    members = [_user(name) for name in ASKERS if name not in DEMO_EXPERTS]
    cast = Cast(members, _user(REFERENCE_ACCOUNT), ensure_demo_experts(report))
    _add_experts_to_groups(cast)
    load_conversations(report, cast)
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


def _add_experts_to_groups(cast: Cast) -> None:
    """Each demo expert joins the private groups of the topics they are verified for."""
    for name, user in cast.experts.items():
        for slug in DEMO_EXPERTS[name].topics:
            groups = select(Community).join(HealthTopic).where(HealthTopic.slug == slug)
            for community in db.session.scalars(groups.where(Community.is_private.is_(True))):
                if not policies.is_community_member(user, community):
                    communities.add_member(None, community, user)


def _load_reference_answers(report: SeedReport) -> None:
    """MedQuAD pairs chosen per topic, imported as `flask import qa` does (idempotent)."""
    reference = _user(REFERENCE_ACCOUNT)
    created: list[int] = []
    for number, row in enumerate(read_records(DATA / "reference_qa.jsonl"), start=1):
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
        thread = db.session.scalar(select(Thread).where(Thread.source_id == parsed.source_id))
        # New ones, and those an older seed left dated the day it ran.
        recent = thread is not None and thread.created_at > utcnow() - timedelta(days=2)
        if thread is not None and (outcome == "created" or recent):
            created.append(thread.id)
    _backdate_reference(created)


def _backdate_reference(thread_ids: list[int]) -> None:
    """New reference questions get an earlier date each, deterministic by their order."""
    low, high = REFERENCE_DAYS
    now = utcnow()
    for position, thread_id in enumerate(thread_ids):
        when = now - timedelta(days=high - (high - low) * position / max(len(thread_ids), 1))
        db.session.execute(
            update(Thread)
            .where(Thread.id == thread_id)
            .values(created_at=when, last_activity_at=when + timedelta(hours=1))
        )
        db.session.execute(
            update(Post)
            .where(Post.thread_id == thread_id)
            .values(created_at=when + timedelta(hours=1))
        )
        db.session.execute(
            update(Post)
            .where(Post.thread_id == thread_id, Post.is_opening.is_(True))
            .values(created_at=when)
        )
    if thread_ids:
        outbox.enqueue_threads(thread_ids)
        db.session.commit()
