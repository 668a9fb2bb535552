"""Time the notification writes of a reply to a thread with 1,000 followers, and a digest run
for 10,000 members.

`python -m bench.notifications [--followers 1000] [--members 10000]` builds a temporary SQLite
database of its own and prints both figures; `measure(folder)` returns them for `make bench`.
The reply figure is what notifications add to the request: the rows for every follower (one
INSERT ... SELECT per channel) in the reply's transaction, rolled back after each run.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from forum import create_app
from forum.communities import services as community_services
from forum.extensions import db
from forum.models import Notification, Post, Subscription, Thread, User, utcnow
from forum.notifications import digests, services
from forum.threads import services as thread_services

RUNS = 50


def _app(folder: Path) -> Any:
    return create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": f"sqlite:///{folder / 'notifications.db'}",
            "SEARCH_DIR": str(folder / "index"),
            "RATELIMIT_ENABLED": False,
            "NEW_ACCOUNT_HOURS": 0,
            "NEW_MEMBER_POSTS": 0,
            # Mail rows are written and left in the outbox: only the writing is timed.
            "MAIL_DRAIN": "off",
        }
    )


def _add_members(count: int, prefix: str, days_old: int = 0) -> list[int]:
    created = utcnow() - timedelta(days=days_old)
    db.session.execute(
        insert(User),
        [
            {
                "name": f"{prefix}{i}",
                "name_key": f"{prefix}{i}",
                "email": f"{prefix}{i}@example.org",
                "password_hash": "x",
                "created_at": created,
            }
            for i in range(count)
        ],
    )
    db.session.commit()
    return list(db.session.scalars(select(User.id).where(User.name_key.like(f"{prefix}%"))))


def _member(name: str) -> User:
    user = User(
        name=name, name_key=name, email=f"{name}@example.org", password_hash="x",  # noqa: S106
        health_consent_at=utcnow(), health_consent_version="bench",
    )  # fmt: skip
    db.session.add(user)
    db.session.commit()
    return user


def _thread() -> Thread:
    topic = community_services.create_topic(None, "bench-topic", "Bench topic", "For timing.")
    community = community_services.create_community(
        None, "bench", "Bench support", topic, description="Timing.", rules="Be kind."
    )
    return thread_services.create_thread(
        _member("asker"), community, "How do I manage morning readings?", "They are high."
    )


def _percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def reply_write_ms(followers: int, runs: int = RUNS) -> dict[str, float]:
    """Milliseconds that the notification rows of one reply add (median and p95)."""
    thread = _thread()
    ids = _add_members(followers, "follower")
    db.session.execute(
        insert(Subscription), [{"user_id": uid, "thread_id": thread.id} for uid in ids]
    )
    db.session.commit()
    replier = _member("replier")
    post = thread_services.post_reply(replier, thread, "A short walk after dinner helped me.")
    post_id = post.id
    timings, cpu = [], []
    for _ in range(runs):
        loaded = db.session.get(Post, post_id)
        assert loaded is not None
        # The request has the reply, its thread and community loaded already.
        assert loaded.thread.community.name and loaded.body_source
        started, started_cpu = time.perf_counter(), time.thread_time()
        services.reply_posted(loaded)
        db.session.flush()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        db.session.rollback()
    return {
        "followers": followers,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        # CPU time of the same calls: what a busy, shared machine cannot inflate by waiting.
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(_percentile(cpu, 0.95), 2),
    }


def digest_seconds(members: int) -> dict[str, float]:
    """Seconds for `flask mail digests` when every member has a daily digest due."""
    ids = _add_members(members, "reader", days_old=2)
    now = utcnow()
    db.session.execute(
        insert(Notification),
        [
            {"user_id": uid, "kind": "reply_mine", "channel": "daily", "created_at": now}
            for uid in ids
        ],
    )
    db.session.commit()
    started = time.perf_counter()
    daily, _weekly = digests.build_due_digests()
    seconds = time.perf_counter() - started
    return {"members": members, "digests": daily, "seconds": round(seconds, 1)}


def measure(folder: Path, followers: int = 1_000, members: int = 10_000) -> dict[str, Any]:
    """Both figures, on a database of their own in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notifications.db").unlink(missing_ok=True)
    logging.getLogger("forum").setLevel(logging.WARNING)
    app = _app(folder)
    with app.app_context(), app.test_request_context():
        db.create_all()
        reply = reply_write_ms(followers)
        digest = digest_seconds(members)
    return {"reply_write": reply, "digest": digest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--followers", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(Path(folder), args.followers, args.members)
    reply, digest = figures["reply_write"], figures["digest"]
    print(
        f"reply to a thread with {reply['followers']} followers: notification rows add "
        f"median {reply['median_ms']} ms, p95 {reply['p95_ms']} ms (goal < 10 ms); CPU time "
        f"median {reply['cpu_median_ms']} ms, p95 {reply['cpu_p95_ms']} ms"
    )
    print(
        f"daily digests for {digest['members']} members: {digest['digests']} queued in "
        f"{digest['seconds']} s (goal < 60 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
