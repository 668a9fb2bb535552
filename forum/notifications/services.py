"""Notification events (called by other features, never committing) and members' actions.

An event function adds rows to its caller's transaction. Nobody hears about content they
may not see: hidden, pending or deleted posts notify no one, private group content reaches
approved members only, and anonymous authors are never named (actor None).
"""

from __future__ import annotations

import re

from sqlalchemy import select, update

from forum import mail, policies
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.models import (
    Article,
    Channel,
    MailPreference,
    MemberRole,
    Membership,
    MemberStatus,
    Notification,
    NotificationKind,
    NotificationSetting,
    Post,
    Role,
    Subscription,
    ThreadStatus,
    User,
)
from forum.notifications.delivery import DEFAULT_CHANNELS, Event, one, write_event

K = NotificationKind
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.\-]{2,30})")
MAX_MENTIONS = 10


def is_public_post(post: Post) -> bool:
    """Shown to readers: not hidden, pending or deleted, in a thread that is shown too."""
    thread = post.thread
    return (
        not (post.is_hidden or post.is_pending or post.is_deleted)
        and not thread.is_deleted
        and thread.status not in (ThreadStatus.HIDDEN, ThreadStatus.PENDING)
    )


def post_event(kind: NotificationKind, post: Post, actor_id: int | None, **extra: str) -> Event:
    """An event about one post: links to it, and remembers a private group's id so that
    only its current members are told."""
    thread = post.thread
    private = thread.community_id if thread.community.is_private else None
    return Event(
        kind=kind,
        path=f"/threads/{thread.id}#post-{post.id}",
        actor_id=actor_id,
        community_id=thread.community_id,
        thread_id=thread.id,
        post_id=post.id,
        private_community_id=private,
        full_subject=extra.get("full_subject", ""),
        detail=extra.get("detail", ""),
    )


def reply_posted(post: Post) -> None:
    """A visible reply: the asker, the thread's followers and members it @mentions."""
    db.session.flush()
    if not is_public_post(post):
        return
    thread = post.thread
    actor = None if post.is_anonymous else post.author_id
    title = thread.title
    mine = post_event(K.REPLY_MINE, post, actor, full_subject=f"New reply: {title}")
    if thread.author_id is not None and thread.author_id != post.author_id:
        write_event(mine, one(thread.author_id))
    followers = select(Subscription.user_id).where(
        Subscription.thread_id == thread.id,
        Subscription.user_id != (thread.author_id or -1),
        Subscription.user_id != (post.author_id or -1),
    )
    followed = post_event(K.REPLY_FOLLOWED, post, actor, full_subject=f"New reply in: {title}")
    write_event(followed, followers)
    names = {name.lower() for name in MENTION.findall(post.body_source)}
    if names:
        mentioned = select(User.id).where(
            User.name_key.in_(sorted(names)[:MAX_MENTIONS]),
            User.id != (post.author_id or -1),
        )
        event = post_event(K.MENTION, post, actor, full_subject=f"You were mentioned in: {title}")
        write_event(event, mentioned)


def answer_endorsed(post: Post, expert: User) -> None:
    """An expert vouched for a post: its author hears."""
    if is_public_post(post) and post.author_id is not None:
        event = post_event(
            K.ENDORSED, post, expert.id, full_subject=f"Endorsed: {post.thread.title}"
        )
        write_event(event, one(post.author_id))


def answer_accepted(post: Post | None) -> None:
    """The asker marked a post as the one that helped (None: the mark was taken back)."""
    if post is not None and is_public_post(post) and post.author_id is not None:
        thread = post.thread
        actor = None if thread.is_anonymous else thread.author_id
        event = post_event(K.ACCEPTED, post, actor, full_subject=f"Helped: {thread.title}")
        write_event(event, one(post.author_id))


def post_moderated(post: Post, action: str, reason: str = "") -> None:
    """A moderator approved, rejected, hid or edited a post: its author hears, with the reason."""
    if action == "approved" and not post.is_opening:
        reply_posted(post)
    if post.author_id is None:
        return
    noun = "question" if post.is_opening else "post"
    detail = f"Your {noun} was {action}." + (f" Reason: {reason}" if reason else "")
    event = post_event(K.MODERATION, post, None, detail=detail)
    write_event(event, one(post.author_id))


def join_decided(membership: Membership) -> None:
    """A request to join a private group was approved or declined."""
    approved = membership.status == MemberStatus.APPROVED
    detail = ("Approved" if approved else "Declined") + (
        f": {membership.decision_message}" if membership.decision_message else ""
    )
    community = membership.community
    event = Event(
        kind=K.JOIN_DECISION,
        path=f"/c/{community.slug}",
        community_id=community.id,
        detail=f"{detail} ({community.name})",
    )
    write_event(event, one(membership.user_id))


def join_requested(membership: Membership) -> None:
    """A member asked to join a private group: the group's moderators hear."""
    if membership.status != MemberStatus.PENDING:
        return
    db.session.flush()
    community = membership.community
    moderators = select(Membership.user_id).where(
        Membership.community_id == community.id,
        Membership.role == MemberRole.MODERATOR,
        Membership.status == MemberStatus.APPROVED,
    )
    event = Event(
        kind=K.JOIN_REQUEST,
        path=f"/c/{community.slug}/members",
        actor_id=membership.user_id,
        community_id=community.id,
        detail=community.name,
    )
    write_event(event, moderators)


def article_submitted(article: Article) -> None:
    """An article waits for review: the editors hear."""
    editors = select(User.id).where(User.role.in_([Role.EDITOR, Role.ADMIN]))
    event = Event(
        kind=K.ARTICLE_REVIEW,
        path="/articles/queue",
        actor_id=article.author_id,
        article_id=article.id,
        full_subject=f"For review: {article.title}",
    )
    write_event(event, editors)


# Members' own actions


def open_notification(user: User, notification_id: int) -> Notification:
    """Mark a notification (and the others of its collapsed line) read when opened."""
    notification = db.session.get(Notification, notification_id)
    policies.require(notification is not None and notification.user_id == user.id, hide=True)
    assert notification is not None
    notification.is_read = True
    if notification.thread_id is not None:
        # A collapsed line ("3 new replies in ...") is read as a whole.
        db.session.execute(
            update(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.kind == notification.kind,
                Notification.thread_id == notification.thread_id,
            )
            .values(is_read=True)
        )
    db.session.commit()
    return notification


def mark_read(user: User, ids: list[int] | None = None) -> int:
    """Mark some (or, with None, all) of a member's notifications read; returns the count."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.is_read.is_(False)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    count = db.session.execute(query.values(is_read=True)).rowcount or 0  # type: ignore[attr-defined]
    db.session.commit()
    return int(count)


def _save_channel(user_id: int, kind: str, channel: str) -> None:
    if kind not in DEFAULT_CHANNELS or channel not in {c.value for c in Channel}:
        raise InvalidAction("Unknown notification setting.", field=kind)
    setting = db.session.scalar(
        select(NotificationSetting).where(
            NotificationSetting.user_id == user_id, NotificationSetting.kind == kind
        )
    )
    if setting is None:
        db.session.add(NotificationSetting(user_id=user_id, kind=kind, channel=channel))
    else:
        setting.channel = channel


def save_settings(user: User, channels: dict[str, str], full_text: bool | None = None) -> None:
    """Change a member's channels per kind (and the full-text opt-in)."""
    for kind, channel in channels.items():
        _save_channel(user.id, kind, channel)
    if full_text is not None:
        preference = db.session.get(MailPreference, user.id)
        if preference is None:
            db.session.add(MailPreference(user_id=user.id, full_text=full_text))
        else:
            preference.full_text = full_text
    db.session.commit()


def is_valid_unsubscribe(token: str) -> bool:
    return mail.read_unsubscribe_token(token) is not None


def unsubscribe(token: str) -> str:
    """One-click unsubscribe from a message: that kind of e-mail stops; returns the kind."""
    found = mail.read_unsubscribe_token(token)
    if found is None:
        raise NotFound("This unsubscribe link is not valid.")
    user_id, kind = found
    if db.session.get(User, user_id) is None:
        raise NotFound("This unsubscribe link is not valid.")
    if kind in mail.DIGEST_KINDS:
        digest = kind.removeprefix("digest_")
        for each in DEFAULT_CHANNELS:
            setting = db.session.scalar(
                select(NotificationSetting).where(
                    NotificationSetting.user_id == user_id, NotificationSetting.kind == each
                )
            )
            if setting is not None and setting.channel == digest:
                setting.channel = Channel.FORUM.value
    else:
        _save_channel(user_id, kind, Channel.FORUM.value)
    db.session.commit()
    return kind
