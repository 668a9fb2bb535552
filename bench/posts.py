"""Posts, votes, endorsements, accepted answers and follows, with every counter they move."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bench.experts import NOTES
from forum.models import EvidenceLevel, ThreadKind

if TYPE_CHECKING:
    from bench.dataset import Row, _Builder

VOTE_SHARE = 0.25
ENDORSE_SHARE = 0.03
ACCEPT_SHARE = 0.3
DELETE_SHARE = 0.01


class _Posts:
    def __init__(self, builder: _Builder, expert_ids: list[int]) -> None:
        self.builder, self.rng, self.expert_ids = builder, builder.rng, expert_ids
        self.next_id = 1
        self.vote_id = self.endorsement_id = self.subscription_id = 0
        self.openings, self.replies = builder.body_pools()
        self.post_counts: Counter[int] = Counter()

    def post(self, thread: Row, author: Row, body: str, opening: bool, when: Any) -> Row:
        anonymous = thread["is_anonymous"] if opening else self._anonymous(thread)
        deleted = not opening and self.rng.random() < DELETE_SHARE
        row = {
            "id": self.next_id, "thread_id": thread["id"], "author_id": author["id"],
            "is_anonymous": anonymous, "is_opening": opening,
            "body_source": "" if deleted else body,
            "body_html": "" if deleted else self.builder.render(body),
            "helpful_count": 0, "endorsement_count": 0, "is_deleted": deleted,
            "created_at": when,
        }  # fmt: skip
        self.next_id += 1
        self.builder.data.add("post", row)
        if not (anonymous or deleted):
            self.post_counts[author["id"]] += 1
        return row

    def _anonymous(self, thread: Row) -> bool:
        community = self.builder.communities[thread["community_id"] - 1]
        return bool(community["allow_anonymous"]) and self.rng.random() < 0.05

    def thread(self, thread: Row, count: int, special: bool) -> None:
        users, rng = self.builder.users, self.rng
        author = users[thread["author_id"] - 1]
        opening = self.post(thread, author, rng.choice(self.openings), True, thread["created_at"])
        replies: list[Row] = []
        when = thread["created_at"]
        gap_hours = 1.0 if count > 100 else 8.0
        for _ in range(count):
            when = min(when + timedelta(hours=rng.expovariate(1 / gap_hours)), self.builder.end)
            replier = users[rng.randrange(3, len(users))]
            replies.append(self.post(thread, replier, rng.choice(self.replies), False, when))
        live = [r for r in replies if not r["is_deleted"]]
        thread["reply_count"] = len(live)
        thread["last_activity_at"] = max(
            [thread["created_at"], *(r["created_at"] for r in replies)]
        )
        for reply in live:
            self.votes(reply)
            if rng.random() < ENDORSE_SHARE or (special and reply is live[0]):
                self.endorse(reply)
        thread["has_expert_answer"] = any(r["endorsement_count"] for r in live)
        accepted = None
        is_question = thread["kind"] == ThreadKind.QUESTION
        if live and is_question and (special or rng.random() < ACCEPT_SHARE):
            accepted = rng.choice(live)["id"]
        self.builder.data.thread_links.append(
            {"thread_id": thread["id"], "opening_id": opening["id"], "accepted_id": accepted}
        )
        for user_id in dict.fromkeys(p["author_id"] for p in [opening, *replies]):
            self.subscription_id += 1
            self.builder.data.add(
                "subscription",
                {"id": self.subscription_id, "user_id": user_id, "thread_id": thread["id"],
                 "last_seen_at": thread["last_activity_at"], "created_at": thread["created_at"]},
            )  # fmt: skip

    def votes(self, reply: Row) -> None:
        if self.rng.random() >= VOTE_SHARE:
            return
        voters = self.rng.sample(range(1, len(self.builder.users) + 1), self.rng.randint(1, 4))
        for voter in voters:
            if voter == reply["author_id"]:
                continue
            self.vote_id += 1
            reply["helpful_count"] += 1
            self.builder.data.add(
                "vote",
                {"id": self.vote_id, "post_id": reply["id"], "user_id": voter,
                 "created_at": reply["created_at"]},
            )  # fmt: skip

    def endorse(self, reply: Row) -> None:
        if not self.expert_ids:
            return
        count = 2 if self.rng.random() < 0.1 else 1
        for expert_id in self.rng.sample(self.expert_ids, min(count, len(self.expert_ids))):
            if expert_id == reply["author_id"]:
                continue
            self.endorsement_id += 1
            reply["endorsement_count"] += 1
            self.builder.data.add(
                "endorsement",
                {"id": self.endorsement_id, "post_id": reply["id"], "expert_id": expert_id,
                 "note": self.rng.choice(NOTES),
                 "evidence_level": self.rng.choice(list(EvidenceLevel)),
                 "created_at": reply["created_at"], "confirmed_at": reply["created_at"]},
            )  # fmt: skip


def build_posts(
    builder: _Builder, plan: Counter[int], expert_ids: list[int], special: tuple[Row, ...]
) -> None:
    """Every thread's opening post and replies, in thread order; then the members' counts."""
    posts = _Posts(builder, expert_ids)
    special_ids = {thread["id"] for thread in special}
    for thread in builder.threads:
        posts.thread(thread, plan.get(thread["id"], 0), thread["id"] in special_ids)
    for user in builder.users:
        user["post_count"] = posts.post_counts[user["id"]]
