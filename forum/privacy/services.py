"""Privacy: consent to health information, profile fields, and deleting an account."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, false, or_, select, union, update
from sqlalchemy.orm import selectinload

from forum import audit, policies
from forum.auth import passwords
from forum.cabinet.services import erase_cabinet
from forum.errors import InvalidAction
from forum.extensions import db
from forum.models import (
    Article,
    ArticleRevision,
    Community,
    ExpertProfile,
    Membership,
    MemberStatus,
    Post,
    PostRevision,
    Subscription,
    Thread,
    ThreadStatus,
    User,
    Visibility,
    Vote,
    utcnow,
)
from forum.privacy.erasure import erase_traces
from forum.reviews.services import detach_reviews
from forum.search import outbox

log = logging.getLogger(__name__)

ABOUT_MAX, CONDITIONS_MAX, LOCATION_MAX = 1000, 300, 100
# Not an argon2 hash: nothing ever matches it.
ERASED_HASH = "!account-deleted"
DELETED_TITLE = "Deleted question"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ProfileFields:
    """What a member typed into the profile form."""

    about: str = ""
    about_visibility: str = Visibility.NOBODY.value
    conditions: str = ""
    conditions_visibility: str = Visibility.NOBODY.value
    location: str = ""
    location_visibility: str = Visibility.NOBODY.value


def give_health_consent(user: User) -> None:
    """Record consent to processing shared health information, with the policy version."""
    policies.require(policies.can_edit_account(user, user))
    user.health_consent_at = utcnow()
    user.health_consent_version = current_app.config["HEALTH_CONSENT_VERSION"]
    db.session.commit()
    log.info("user %s gave health consent", user.id)


def withdraw_health_consent(user: User) -> None:
    """Stop posting; what the member already posted stays."""
    policies.require(policies.can_edit_account(user, user))
    user.health_consent_at = None
    user.health_consent_version = None
    db.session.commit()
    log.info("user %s withdrew health consent", user.id)


def _plain(text: str | None, limit: int, field: str, *, multiline: bool = False) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    text = text.strip() if multiline else " ".join(text.split())
    if len(text) > limit:
        raise InvalidAction(
            f"Keep it under {limit:,} characters (this is {len(text):,}).", field=field
        )
    return text


def _visibility(value: str, field: str) -> Visibility:
    try:
        return Visibility(value)
    except ValueError as error:
        raise InvalidAction("Choose who may see it.", field=field) from error


def update_profile(user: User, fields: ProfileFields) -> None:
    """Save the optional profile fields and who may see each."""
    policies.require(policies.can_edit_account(user, user))
    about = _plain(fields.about, ABOUT_MAX, "about", multiline=True)
    conditions = _plain(fields.conditions, CONDITIONS_MAX, "conditions")
    location = _plain(fields.location, LOCATION_MAX, "location")
    user.about_visibility = _visibility(fields.about_visibility, "about_visibility")
    user.conditions_visibility = _visibility(fields.conditions_visibility, "conditions_visibility")
    user.location_visibility = _visibility(fields.location_visibility, "location_visibility")
    user.about, user.conditions, user.location = about, conditions, location
    db.session.commit()
    log.info("user %s updated the profile", user.id)


def delete_account(user: User, password: str, *, delete_posts: bool = False) -> None:
    """Erase the account's personal data; posts stay as a former member's unless deleted."""
    policies.require(policies.can_edit_account(user, user))
    if not passwords.verify_password(user.password_hash, password):
        raise InvalidAction("Your current password is not right.", field="current_password")
    user_id = user.id
    thread_ids = _thread_ids_of(user_id)
    _remove_votes(user_id)
    erase_traces(user, delete_posts=delete_posts)
    if delete_posts:
        _erase_posts(user_id)
    _detach_authorship(user_id)
    _remove_memberships(user_id)
    db.session.execute(delete(Subscription).where(Subscription.user_id == user_id))
    erase_cabinet(user)
    detach_reviews(user, delete=delete_posts)
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user_id))
    if profile is not None:
        # Credentials and licence go; past endorsements show "by a former expert".
        db.session.delete(profile)
    _erase_user(user)
    # Ids only: no name, e-mail or reason that could identify the person.
    audit.record(user, "user.delete", "user", user_id, details={"posts_deleted": delete_posts})
    # Texts deleted, authorship detached: re-index the member's threads (the flush listener
    # sees the ORM changes too; the SQL-level ones change only counters).
    outbox.enqueue_threads(thread_ids)
    db.session.commit()
    policies.forget_memberships()
    policies.forget_expert_profiles()
    log.info("user %s deleted the account", user_id)


def _thread_ids_of(user_id: int) -> list[int]:
    """Threads the member started or replied in: their search documents change."""
    query = union(
        select(Thread.id).where(Thread.author_id == user_id),
        select(Post.thread_id).where(Post.author_id == user_id),
    )
    return sorted(db.session.scalars(query))


def _remove_votes(user_id: int) -> None:
    voted = select(Vote.post_id).where(Vote.user_id == user_id)
    db.session.execute(
        update(Post)
        .where(Post.id.in_(voted))
        .values(helpful_count=Post.helpful_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Vote).where(Vote.user_id == user_id))


def _erase_posts(user_id: int) -> None:
    """Soft-delete every post, as forum.threads.services.delete_post does for one."""
    posts = db.session.scalars(
        select(Post)
        .where(Post.author_id == user_id, Post.is_deleted == false())
        .options(selectinload(Post.thread))
    ).all()
    for post in posts:
        thread = post.thread
        if post.is_opening:
            if not thread.is_deleted and thread.status != ThreadStatus.HIDDEN:
                db.session.execute(
                    update(Community)
                    .where(Community.id == thread.community_id)
                    .values(thread_count=Community.thread_count - 1)
                )
            thread.is_deleted = True
            thread.title = DELETED_TITLE
        else:
            if not (post.is_hidden or post.is_pending):
                db.session.execute(
                    update(Thread)
                    .where(Thread.id == thread.id)
                    .values(reply_count=Thread.reply_count - 1)
                )
            if thread.accepted_post_id == post.id:
                thread.accepted_post_id = None
        post.is_deleted = True
        post.body_source = ""
        post.body_html = ""
        post.helpful_count = 0
    post_ids = [post.id for post in posts]
    # Revisions hold the old text: deleting means it is gone everywhere.
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(post_ids)))
    db.session.execute(delete(Vote).where(Vote.post_id.in_(post_ids)))


def _detach_authorship(user_id: int) -> None:
    """Posts, threads and articles stay, by a former member (changed through the ORM, so
    flush listeners such as the search outbox see them)."""
    for post in db.session.scalars(select(Post).where(Post.author_id == user_id)):
        post.author_id = None
    for thread in db.session.scalars(select(Thread).where(Thread.author_id == user_id)):
        thread.author_id = None
    articles = select(Article).where(
        or_(Article.author_id == user_id, Article.reviewer_id == user_id)
    )
    for article in db.session.scalars(articles):
        if article.author_id == user_id:
            article.author_id = None
        if article.reviewer_id == user_id:
            article.reviewer_id = None
    for revision_model in (PostRevision, ArticleRevision):
        db.session.execute(
            update(revision_model)
            .where(revision_model.editor_id == user_id)
            .values(editor_id=None)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Membership)
        .where(Membership.decided_by_id == user_id)
        .values(decided_by_id=None)
        .execution_options(synchronize_session=False)
    )


def _remove_memberships(user_id: int) -> None:
    for membership in db.session.scalars(select(Membership).where(Membership.user_id == user_id)):
        if membership.status == MemberStatus.APPROVED:
            db.session.execute(
                update(Community)
                .where(Community.id == membership.community_id)
                .values(member_count=Community.member_count - 1)
            )
        db.session.delete(membership)


def _erase_user(user: User) -> None:
    placeholder = f"deleted-{secrets.token_hex(8)}"
    user.name = placeholder
    user.name_key = placeholder
    user.email = f"{placeholder}@invalid"
    user.password_hash = ERASED_HASH
    user.about, user.conditions, user.location = "", "", ""
    user.about_visibility = user.conditions_visibility = user.location_visibility = (
        Visibility.NOBODY
    )
    user.health_consent_at = None
    user.health_consent_version = None
    user.last_seen_at = None
    user.post_count = 0
    user.deleted_at = utcnow()
    # Every session and remember-me cookie of the account stops working.
    user.session_version = User.session_version + 1
