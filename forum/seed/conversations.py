"""Demo conversations: MeQSum questions asked by members, answered from public reference texts.

Each MeQSum consumer question becomes a member's question. Members reply with short lived-
experience texts (forum/seed/replies.py). The medical content comes only from the MedQuAD
answer chosen for the question's focus, with its agency and page shown: posted as a reference
entry by the reference organization, or quoted by the demo expert verified for the topic, who
also endorses reference entries in their topics. Every fourth question of a topic goes to its
second community (the peer or private support group), so every group has conversations.
Votes and "this helped me" marks follow the content: the reference and expert answers get most.
Everything is decided by a seeded random generator, so the demo is the same on every machine.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from forum import policies
from forum.errors import DomainError
from forum.experts import services as experts
from forum.extensions import db
from forum.imports.qa_text import agency_name, answer_markdown, retired_note
from forum.models import Community, Endorsement, EvidenceLevel, Post, Thread, User, Vote, utcnow
from forum.search import outbox
from forum.seed import DATA, read_records
from forum.seed.experts import expert_for_topic
from forum.seed.replies import PEER_REPLIES, SUPPORT_GROUP_REPLIES, THANKS
from forum.threads import services as threads

if TYPE_CHECKING:
    from forum.seed import SeedReport

SEED = 20261203
DAYS = 21
_GUIDELINE = re.compile(r"\b(?:recommend(?:s|ed|ation|ations)?|guidelines?)\b", re.IGNORECASE)
_TRIAL = re.compile(r"\brandomi[sz]ed\b", re.IGNORECASE)


@dataclass
class Cast:
    """Who takes part: the askers and helpers, the reference account and the experts."""

    members: list[User]
    reference: User
    experts: dict[str, User]


def evidence_level(answer: str) -> EvidenceLevel:
    """The level the reference text itself supports: a recommendation, a trial, or neither."""
    if _TRIAL.search(answer):
        return EvidenceLevel.RANDOMIZED_TRIAL
    if _GUIDELINE.search(answer):
        return EvidenceLevel.GUIDELINE
    return EvidenceLevel.EXPERT_OPINION


def source_line(answer: dict[str, Any]) -> str:
    """Where a reference text comes from, shown under every post that carries one."""
    agency = agency_name(answer.get("source")) or "NIH"
    url = str(answer.get("url") or "")
    retired = retired_note(url)
    link = f" <{url}> ({retired})" if retired else (f" [{url}]({url})" if url else "")
    return (
        f"*Source: {agency}, page on {answer['focus']}{link}, via the MedQuAD collection "
        "(U.S. government text, public domain). Shared for information: it does not replace "
        "advice from your own doctor.*"
    )


def reference_body(answer: dict[str, Any]) -> str:
    """The reference organization's answer: the agency's text and its source."""
    return f"{answer_markdown(answer['answer'])}\n\n---\n{source_line(answer)}"


def expert_body(answer: dict[str, Any]) -> str:
    """A demo expert's answer: no words of their own about medicine, only the quoted source."""
    agency = agency_name(answer.get("source")) or "NIH"
    quoted = "\n".join(
        f"> {line}" if line else ">" for line in answer_markdown(answer["answer"]).split("\n")
    )
    return (
        f"The {agency} has a plain-language page on {answer['focus']}. Here is what it says; "
        "your own care team knows your history and can tell you how it applies to you.\n\n"
        f"{quoted}\n\n---\n{source_line(answer)}"
    )


def load_conversations(report: SeedReport, cast: Cast) -> None:
    """Ask each MeQSum question not asked yet, with its replies, answers, votes and marks."""
    answers = {row["question_id"]: row for row in read_records(DATA / "answers.jsonl")}
    topics = {spec["slug"]: spec for spec in json.loads((DATA / "topics.json").read_text("utf-8"))}
    seen: dict[str, int] = {}
    now = utcnow()
    for number, row in enumerate(read_records(DATA / "questions.jsonl")):
        rng = random.Random(f"{SEED}:{row['id']}")
        order = seen[row["topic"]] = seen.get(row["topic"], -1) + 1
        source_id = f"meqsum:{row['id']}"
        if db.session.scalar(select(Thread.id).where(Thread.source_id == source_id)):
            continue
        slugs = [item["slug"] for item in topics[row["topic"]]["communities"]]
        slug = slugs[1] if order % 4 == 3 and len(slugs) > 1 else row["community"]
        community = db.session.scalar(select(Community).where(Community.slug == slug))
        if community is None:
            continue
        start = now - timedelta(days=DAYS * (1 - number / 200), hours=rng.randint(0, 20))
        thread = _converse(rng, community, row, answers.get(row["id"]), cast, report)
        if thread is not None:
            _backdate(thread, start, rng)


def _converse(
    rng: random.Random,
    community: Community,
    row: dict[str, Any],
    answer: dict[str, Any] | None,
    cast: Cast,
    report: SeedReport,
) -> Thread | None:
    people = [m for m in cast.members if policies.can_post_in_community(m, community)]
    if len(people) < 3:
        return None
    asker = rng.choice(people)
    anonymous = community.allow_anonymous and rng.random() < 0.3
    thread = threads.create_thread(
        asker, community, row["title"], row["body"], row.get("tags", []), anonymous=anonymous
    )
    thread.source_id = f"meqsum:{row['id']}"
    db.session.commit()
    report.add("questions")
    helpers = [m for m in people if m.id != asker.id]
    pool = SUPPORT_GROUP_REPLIES if community.is_private else PEER_REPLIES
    peer_posts = []
    for text in rng.sample(pool, k=rng.randint(1, 2)):
        peer_posts.append(threads.post_reply(rng.choice(helpers), thread, text))
        report.add("member replies")
    answer_post = _answer(rng, thread, community, answer, cast, report)
    _react(rng, asker, thread, helpers, peer_posts, answer_post, report)
    return thread


def _answer(
    rng: random.Random,
    thread: Thread,
    community: Community,
    answer: dict[str, Any] | None,
    cast: Cast,
    report: SeedReport,
) -> Post | None:
    """The reference answer, posted by the organization or quoted by the expert in scope."""
    if answer is None:
        return None
    expert = expert_for_topic(cast.experts, community.topic.slug)
    if expert is not None and not policies.can_post_in_community(expert, community):
        expert = None
    org_may_post = policies.can_post_in_community(cast.reference, community)
    try:
        if expert is not None and (not org_may_post or rng.random() < 0.35):
            post = threads.post_reply(
                expert, thread, expert_body(answer), confirm_personal_info=True
            )
            report.add("expert answers")
            return post
        if not org_may_post:
            return None
        post = threads.post_reply(
            cast.reference, thread, reference_body(answer), confirm_personal_info=True
        )
    except DomainError:
        db.session.rollback()  # the same reference text was just posted to another question
        return None
    report.add("reference answers")
    if expert is not None:
        level = evidence_level(answer["answer"])
        agency = agency_name(answer.get("source")) or "NIH"
        note = f"Accurate summary from the {agency}; ask your own care team how it applies to you."
        experts.endorse_post(expert, post, note, level.value)
        report.add("endorsements")
    return post


def _react(
    rng: random.Random,
    asker: User,
    thread: Thread,
    helpers: list[User],
    peer_posts: list[Post],
    answer_post: Post | None,
    report: SeedReport,
) -> None:
    """Helpful votes and the asker's "this helped me", as the content deserves."""
    for post in peer_posts:
        for voter in rng.sample(helpers, k=min(len(helpers), rng.randint(0, 1))):
            _vote(voter, post, report)
    if answer_post is not None:
        for voter in rng.sample(helpers, k=min(len(helpers), rng.randint(2, 5))):
            _vote(voter, answer_post, report)
        if rng.random() < 0.2 and helpers:
            threads.post_reply(rng.choice(helpers), thread, rng.choice(THANKS))
            report.add("member replies")
    helped = (
        answer_post
        if answer_post is not None
        else (peer_posts[0] if thread.community.is_private else None)
    )
    if helped is not None and rng.random() < (0.65 if answer_post is not None else 0.4):
        threads.accept_answer(asker, thread, helped)
        report.add("helped-me marks")


def _vote(voter: User, post: Post, report: SeedReport) -> None:
    if policies.can_vote(voter, post):
        threads.vote_helpful(voter, post)
        report.add("helpful votes")


def _backdate(thread: Thread, start: datetime, rng: random.Random) -> None:
    """Spread a new conversation over the last weeks instead of the second the seed ran."""
    posts = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
    ).all()
    when = start
    for post in posts:
        post.created_at = when
        when += timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
    thread.created_at = start
    thread.last_activity_at = posts[-1].created_at if posts else start
    _backdate_marks(posts)
    outbox.enqueue_threads([thread.id])
    db.session.commit()


def _backdate_marks(posts: Sequence[Post]) -> None:
    """Endorsements and votes date from a little after the post they mark."""
    for post in posts:
        later = post.created_at + timedelta(hours=2)
        db.session.execute(update(Vote).where(Vote.post_id == post.id).values(created_at=later))
        db.session.execute(
            update(Endorsement)
            .where(Endorsement.post_id == post.id)
            .values(created_at=later, confirmed_at=later)
        )
