"""The benchmark's data set: every row of a forum, generated from a seed (same seed, same rows).

`generate()` returns plain row dictionaries per table, with every denormalized counter
computed from the rows themselves; bench/loader.py inserts them in bulk.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bench import experts
from bench.posts import build_posts
from bench.vocabulary import ADJECTIVES, COMMUNITY_KINDS, NOUNS, SUPPORT_LINES, Vocabulary
from forum.models import MemberRole, MemberStatus, Role, ThreadKind, ThreadStatus
from forum.text import render_markdown

START = datetime(2024, 1, 1)
END = datetime(2026, 11, 1)
PASSWORD = "bench-forum-password"  # noqa: S105 - accounts of a throw-away benchmark database
POSTERS = 4
RULES = (
    "Be kind and stay on topic. Share experiences, not diagnoses: nothing here replaces "
    "advice from your own doctor. No advertising."
)
Row = dict[str, Any]


@dataclass(frozen=True)
class Size:
    name: str
    topics: int
    communities: int
    private: int
    members: int
    threads: int
    posts: int
    experts: int
    articles: int
    # One popular community holds this many threads, so that its page 50 exists.
    big_community_threads: int
    long_thread_replies: int
    medium_thread_replies: int
    # Distinct reply bodies (each rendered once; posts reuse them).
    body_pool: int


SIZES = {
    "full": Size("full", 20, 100, 10, 10_000, 20_000, 100_000, 200, 500, 1_200, 500, 50, 12_000),
    "quick": Size("quick", 20, 100, 10, 1_000, 2_000, 10_000, 20, 50, 1_050, 500, 50, 3_000),
    "tiny": Size("tiny", 4, 8, 1, 40, 30, 100, 3, 4, 25, 20, 5, 60),
}


@dataclass
class DataSet:
    size: Size
    tables: dict[str, list[Row]] = field(default_factory=dict)
    # Set after the posts exist: (thread id, opening post id, accepted post id).
    thread_links: list[Row] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        self.tables.setdefault(table, []).append(row)


class _Builder:
    def __init__(self, size: Size, vocabulary: Vocabulary, seed: int) -> None:
        self.size, self.vocabulary = size, vocabulary
        self.rng = random.Random(seed)
        self.data = DataSet(size)
        self.users: list[Row] = []
        self.communities: list[Row] = []
        self.threads: list[Row] = []
        self.tag_ids: dict[str, int] = {}
        self.html: dict[str, str] = {}
        self.start, self.end = START, END

    def render(self, source: str) -> str:
        """Markdown rendered once per distinct body."""
        html = self.html.get(source)
        if html is None:
            html = self.html[source] = render_markdown(source)
        return html

    def when(self, low: datetime, high: datetime) -> datetime:
        return low + timedelta(seconds=self.rng.uniform(0, (high - low).total_seconds()))

    def build_users(self, password_hash: str, consent_version: str) -> None:
        special = [("bench_admin", Role.ADMIN), ("bench_editor", Role.EDITOR)]
        special += [("bench_moderator", Role.MODERATOR)]
        special += [(f"bench_poster_{n}", Role.MEMBER) for n in range(1, POSTERS + 1)]
        for user_id in range(1, self.size.members + 1):
            if user_id <= len(special):
                name, role = special[user_id - 1]
            else:
                adjective, noun = self.rng.choice(ADJECTIVES), self.rng.choice(NOUNS)
                name, role = f"{adjective}_{noun}{user_id}", Role.MEMBER
            joined = self.when(START - timedelta(days=700), START)
            row = {
                "id": user_id,
                "name": name,
                "name_key": name.lower(),
                "email": f"{name.lower()}@bench.example.org",
                "password_hash": password_hash,
                "role": role,
                "created_at": joined,
                "health_consent_at": joined,
                "health_consent_version": consent_version,
                "post_count": 0,
            }
            self.users.append(row)
            self.data.add("user", row)

    def build_places(self) -> None:
        topics = self.vocabulary.topics[: self.size.topics]
        per_topic = max(1, self.size.communities // len(topics))
        for topic_id, topic in enumerate(topics, start=1):
            self.data.add(
                "health_topic",
                {"id": topic_id, "slug": topic.slug, "name": topic.name, "summary": topic.summary,
                 "created_at": START},
            )  # fmt: skip
            for tag in self.vocabulary.tags_for(topic):
                self.tag_ids.setdefault(tag, len(self.tag_ids) + 1)
            for slug, name, description in _community_names(topic, per_topic):
                private = (
                    len(self.communities) % per_topic == per_topic - 1
                    and topic_id <= self.size.private
                    and per_topic > 1
                )
                row = {
                    "id": len(self.communities) + 1, "topic_id": topic_id, "slug": slug,
                    "name": name[:120], "description": description, "rules": RULES,
                    "is_private": private, "allow_anonymous": self.rng.random() < 0.4,
                    "created_at": START, "thread_count": 0, "member_count": 0,
                }  # fmt: skip
                self.communities.append(row)
                self.data.add("community", row)
        for name, tag_id in self.tag_ids.items():
            self.data.add("tag", {"id": tag_id, "name": name})

    def build_memberships(self) -> None:
        membership_id = 0
        moderated: set[int] = set()
        for user in self.users[POSTERS + 3 :]:
            count = min(len(self.communities), self.rng.randint(1, 4))
            for community in self.rng.sample(self.communities, count):
                pending = community["is_private"] and self.rng.random() < 0.1
                moderator = not pending and community["id"] not in moderated
                if moderator:
                    moderated.add(community["id"])
                membership_id += 1
                self.data.add(
                    "membership",
                    {"id": membership_id, "community_id": community["id"], "user_id": user["id"],
                     "role": MemberRole.MODERATOR if moderator else MemberRole.MEMBER,
                     "status": MemberStatus.PENDING if pending else MemberStatus.APPROVED,
                     "created_at": user["created_at"]},
                )  # fmt: skip
                if not pending:
                    community["member_count"] += 1

    def build_threads(self) -> None:
        size, rng = self.size, self.rng
        big = self.communities[0]
        others = self.communities[1:] or [big]
        big_count = min(size.big_community_threads, size.threads // 2)
        weights = [0.4 if c["is_private"] else 1.0 for c in others]
        placed = [big] * big_count + rng.choices(others, weights, k=size.threads - big_count)
        rng.shuffle(placed)
        times = sorted(self.when(START, END - timedelta(days=3)) for _ in placed)
        topics = self.vocabulary.topics
        for thread_id, (community, created) in enumerate(zip(placed, times, strict=True), 1):
            topic = topics[community["topic_id"] - 1]
            tags = rng.sample(self.vocabulary.tags_for(topic), k=rng.randint(0, 3))
            author = self.users[rng.randrange(3, len(self.users))]
            row = {
                "id": thread_id, "community_id": community["id"], "author_id": author["id"],
                "is_anonymous": community["allow_anonymous"] and rng.random() < 0.1,
                "kind": ThreadKind.QUESTION if rng.random() < 0.85 else ThreadKind.DISCUSSION,
                "title": rng.choice(self.vocabulary.titles), "status": ThreadStatus.OPEN,
                "created_at": created, "last_activity_at": created, "reply_count": 0,
                "has_expert_answer": False,
            }  # fmt: skip
            if rng.random() < 0.01:
                row["status"] = ThreadStatus.LOCKED
            community["thread_count"] += 1
            self.threads.append(row)
            self.data.add("thread", row)
            for tag in tags:
                self.data.add("thread_tag", {"thread_id": thread_id, "tag_id": self.tag_ids[tag]})

    def pick_special_threads(self) -> tuple[Row, Row, list[Row]]:
        """The 500- and 50-reply threads and the threads the load test replies to."""
        big_id = self.communities[0]["id"]
        public = {c["id"] for c in self.communities if not c["is_private"]}
        candidates = [
            t for t in self.threads
            if t["community_id"] in public and t["community_id"] != big_id
            and t["status"] == ThreadStatus.OPEN
        ]  # fmt: skip
        chosen = self.rng.sample(candidates, min(len(candidates), 102))
        for thread in chosen[:2]:
            thread["kind"] = ThreadKind.QUESTION
        return chosen[0], chosen[1], chosen[2:]

    def reply_plan(self, long: Row, medium: Row) -> Counter[int]:
        """How many replies each thread gets: a heavy tail, plus the two fixed threads."""
        size = self.size
        rest = max(0, size.posts - size.threads - size.long_thread_replies)
        rest = max(0, rest - size.medium_thread_replies)
        others = [t["id"] for t in self.threads if t is not long and t is not medium]
        weights = [min(self.rng.paretovariate(1.3), 30.0) for _ in others]
        plan = Counter(self.rng.choices(others, weights, k=rest))
        plan[long["id"]] = size.long_thread_replies
        plan[medium["id"]] = size.medium_thread_replies
        return plan

    def body_pools(self) -> tuple[list[str], list[str]]:
        rng, vocabulary = self.rng, self.vocabulary
        openings = list(vocabulary.openings) or list(vocabulary.titles)
        replies = []
        for _ in range(self.size.body_pool):
            sentences = rng.sample(vocabulary.sentences, k=min(len(vocabulary.sentences), 3))
            text = " ".join(sentences[: rng.randint(1, 3)])
            if rng.random() < 0.4:
                text = f"{rng.choice(SUPPORT_LINES)}\n\n{text}"
            if rng.random() < 0.15:
                text += f"\n\n- **{rng.choice(sentences)[:60]}**\n- {rng.choice(SUPPORT_LINES)}"
            replies.append(text)
        return openings, replies


def _community_names(topic: Any, count: int) -> list[tuple[str, str, str]]:
    """The topic's seed communities first, then communities about its conditions."""
    names = [(slug, name, description) for slug, name, description, _ in topic.communities]
    conditions = [k for k in topic.keywords if 3 <= len(k) <= 40] or [topic.name.lower()]
    kinds = list(COMMUNITY_KINDS)
    index = 0
    while len(names) < count:
        kind, name, description = kinds[index % len(kinds)]
        condition = conditions[(index // len(kinds) + index) % len(conditions)]
        slug = f"{topic.slug}-{kind}" + (f"-{index // len(kinds)}" if index >= len(kinds) else "")
        if all(slug != existing for existing, _, _ in names):
            label = condition[:1].upper() + condition[1:]
            names.append((slug, name.format(label), description.format(condition)))
        index += 1
    return names[:count]


def generate(
    size: Size,
    vocabulary: Vocabulary,
    password_hash: str,
    consent_version: str,
    seed: int = 9,
    progress: Callable[[str], None] = lambda _message: None,
) -> DataSet:
    """Every row of the data set, counters included; the same seed gives the same rows."""
    builder = _Builder(size, vocabulary, seed)
    builder.build_users(password_hash, consent_version)
    builder.build_places()
    builder.build_memberships()
    builder.build_threads()
    long, medium, targets = builder.pick_special_threads()
    expert_ids = experts.build_experts(builder)
    progress("rendering bodies")
    build_posts(builder, builder.reply_plan(long, medium), expert_ids, (long, medium))
    article_slug = experts.build_articles(builder, expert_ids)
    builder.data.manifest = {
        "size": size.name,
        "seed": seed,
        "password": PASSWORD,
        "posters": [u["name"] for u in builder.users[3 : 3 + POSTERS]],
        "topic_slug": vocabulary.topics[0].slug,
        "topic_slugs": [t.slug for t in vocabulary.topics[: size.topics]],
        "public_community_slugs": [c["slug"] for c in builder.communities if not c["is_private"]][
            :10
        ],
        "community_slug": builder.communities[0]["slug"],
        "big_community_threads": builder.communities[0]["thread_count"],
        "long_thread_id": long["id"],
        "medium_thread_id": medium["id"],
        "reply_thread_ids": [t["id"] for t in targets],
        "article_slug": article_slug,
        "rendered_bodies": len(builder.html),
        "rows": {table: len(rows) for table, rows in builder.data.tables.items()},
    }
    return builder.data
