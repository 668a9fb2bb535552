"""Typed builders for test data, with valid defaults."""

from __future__ import annotations

import itertools
from typing import Any

from forum import policies
from forum.auth.passwords import hash_password
from forum.communities import services as community_services
from forum.extensions import db
from forum.models import (
    Community,
    HealthTopic,
    Membership,
    Post,
    Role,
    Thread,
    ThreadKind,
    User,
    utcnow,
)
from forum.threads import services as thread_services

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(**overrides: Any) -> User:
    """A saved member account whose password is PASSWORD."""
    number = next(_counter)
    name = overrides.pop("name", f"member{number}")
    password = overrides.pop("password", PASSWORD)
    values: dict[str, Any] = {
        "name": name,
        "name_key": name.lower(),
        "email": f"{name.lower()}@example.org",
        "password_hash": hash_password(password),
        "role": Role.MEMBER,
        "health_consent_at": utcnow(),
        "health_consent_version": "2026-11",
    }
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.commit()
    return user


def make_topic(**overrides: Any) -> HealthTopic:
    """A saved health topic (a health center)."""
    number = next(_counter)
    slug = overrides.pop("slug", f"topic-{number}")
    name = overrides.pop("name", f"Diabetes {number}")
    summary = overrides.pop("summary", "Living well with blood sugar conditions.")
    return community_services.create_topic(None, slug, name, summary)


def make_community(topic: HealthTopic | None = None, **overrides: Any) -> Community:
    """A saved community (public unless is_private=True), in a new topic if none is given."""
    number = next(_counter)
    return community_services.create_community(
        None,
        overrides.pop("slug", f"community-{number}"),
        overrides.pop("name", f"Type 2 support {number}"),
        topic if topic is not None else make_topic(),
        description=overrides.pop("description", "Share what helps with type 2 diabetes."),
        rules=overrides.pop("rules", "Be kind. No medical advice in place of a doctor."),
        is_private=overrides.pop("is_private", False),
        allow_anonymous=overrides.pop("allow_anonymous", False),
    )


def make_membership(community: Community, user: User, moderator: bool = False) -> Membership:
    """An approved membership, added by the operator (optionally as community moderator)."""
    return community_services.add_member(None, community, user, moderator=moderator)


def make_thread(
    community: Community | None = None, author: User | None = None, **overrides: Any
) -> Thread:
    """A saved question; the author joins the community first when it is private."""
    community = community if community is not None else make_community()
    author = author if author is not None else make_user()
    if community.is_private and not policies.is_community_member(author, community):
        make_membership(community, author)
    number = next(_counter)
    return thread_services.create_thread(
        author,
        community,
        overrides.pop("title", f"How do I manage morning blood sugar? ({number})"),
        overrides.pop("body", f"My readings are **high** every morning ({number}). What helped?"),
        overrides.pop("tags", ()),
        anonymous=overrides.pop("anonymous", False),
        kind=overrides.pop("kind", ThreadKind.QUESTION),
    )


def make_reply(
    thread: Thread,
    author: User | None = None,
    body: str | None = None,
    anonymous: bool = False,
) -> Post:
    """A saved reply; the author joins the community first when it is private."""
    author = author if author is not None else make_user()
    if body is None:
        # Each default body differs: the forum refuses a member's duplicate post.
        body = f"A short walk after dinner helped me a lot ({next(_counter)})."
    community = thread.community
    if community.is_private and not policies.is_community_member(author, community):
        make_membership(community, author)
    return thread_services.post_reply(author, thread, body, anonymous=anonymous)
