"""The nouns of the forum, one module each."""

from forum.models.base import Base, utcnow
from forum.models.community import Community, MemberRole, Membership, MemberStatus
from forum.models.post import Post, PostRevision, Vote
from forum.models.thread import Subscription, Tag, Thread, ThreadKind, ThreadStatus, thread_tag
from forum.models.topic import HealthTopic
from forum.models.user import Role, User

__all__ = [
    "Base",
    "Community",
    "HealthTopic",
    "MemberRole",
    "MemberStatus",
    "Membership",
    "Post",
    "PostRevision",
    "Role",
    "Subscription",
    "Tag",
    "Thread",
    "ThreadKind",
    "ThreadStatus",
    "User",
    "Vote",
    "thread_tag",
    "utcnow",
]
