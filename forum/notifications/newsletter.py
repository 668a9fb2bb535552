"""The newsletter: double opt-in sign-up, leaving with one click, editors sending an issue."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_login import AnonymousUserMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, or_, select

from forum import mail, policies
from forum.auth.services import normalize_email
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.models import Article, NewsletterSubscription, Post, Thread, User, utcnow

CONFIRM_MAX_AGE = 3 * 24 * 3600
PICKS_OFFERED = 30
KIND = "newsletter"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="newsletter")


def _token(subscription: NewsletterSubscription, purpose: str) -> str:
    return _serializer().dumps({"s": subscription.id, "p": purpose})


def _subscription(token: str, purpose: str, max_age: int | None = None) -> NewsletterSubscription:
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature as error:
        raise NotFound("This link is not valid or has expired.") from error
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("s"), int):
        raise NotFound("This link is not valid or has expired.")
    subscription = db.session.get(NewsletterSubscription, data["s"])
    if subscription is None:
        raise NotFound("This link is not valid or has expired.")
    return subscription


def subscribe(email: str, user: User | None = None) -> None:
    """Ask for a confirmation; the answer is the same whether the address is known or not."""
    address = normalize_email(email)
    subscription = db.session.scalar(
        select(NewsletterSubscription).where(NewsletterSubscription.email == address)
    )
    if subscription is None:
        subscription = NewsletterSubscription(
            email=address, user_id=user.id if policies.is_member(user) and user else None
        )
        db.session.add(subscription)
        db.session.flush()
    if not subscription.is_confirmed:
        link = f"{mail.base_url()}/notifications/newsletter/confirm/{_token(subscription, 'c')}"
        mail.queue_mail(
            address,
            "Please confirm your newsletter subscription",
            "Someone (we hope you) asked to receive the forum's newsletter at this address.\n\n"
            f"To confirm, open this link within three days:\n\n{link}\n\n"
            "If it was not you, ignore this message: nothing will be sent.\n",
            kind="newsletter_confirm",
        )
    db.session.commit()


def confirm(token: str) -> None:
    subscription = _subscription(token, "c", CONFIRM_MAX_AGE)
    if not subscription.is_confirmed:
        subscription.is_confirmed, subscription.confirmed_at = True, utcnow()
    db.session.commit()


def leave(token: str) -> None:
    """One-click leave from an issue's link: the address is removed from the list."""
    db.session.delete(_subscription(token, "u"))
    db.session.commit()


def pickable_articles(ids: Sequence[int] | None = None) -> list[Article]:
    """Published articles (what a visitor may open), newest first, for an issue."""
    query = policies.visible_articles(AnonymousUserMixin(), select(Article)).where(
        Article.published_at.is_not(None)
    )
    if ids is not None:
        query = query.where(Article.id.in_(ids))
    return list(
        db.session.scalars(query.order_by(Article.published_at.desc()).limit(PICKS_OFFERED))
    )


def pickable_answers(ids: Sequence[int] | None = None) -> list[Post]:
    """Expert-endorsed replies a visitor may read (never private groups), newest first."""
    query = policies.visible_posts(
        None, select(Post).join(Thread, Thread.id == Post.thread_id)
    ).where(Post.endorsement_count > 0, Post.is_opening.is_(False))
    if ids is not None:
        query = query.where(Post.id.in_(ids))
    return list(db.session.scalars(query.order_by(Post.created_at.desc()).limit(PICKS_OFFERED)))


def _picks_text(article_ids: Sequence[int], post_ids: Sequence[int]) -> str:
    base = mail.base_url()
    lines = [f"- {a.title}: {base}/articles/{a.slug}" for a in pickable_articles(article_ids)]
    answers = pickable_answers(post_ids) if post_ids else []
    lines += [
        f'- Expert-endorsed answer in "{p.thread.title}": {base}/threads/{p.thread_id}#post-{p.id}'
        for p in answers
    ]
    return "\n".join(lines)


def send_issue(
    editor: User,
    subject: str,
    text: str,
    article_ids: Sequence[int] = (),
    post_ids: Sequence[int] = (),
) -> int:
    """Queue an issue (the editor's words, then the picked articles and endorsed answers with
    their links) for every confirmed address; returns how many."""
    policies.require(policies.is_editor(editor), message="Only editors send the newsletter.")
    subject = subject.strip()
    picks = _picks_text(article_ids, post_ids) if article_ids or post_ids else ""
    text = "\n\n".join(part for part in (text.strip(), picks) if part)
    if not 5 <= len(subject) <= 150:
        raise InvalidAction("Write a subject of 5 to 150 characters.", field="subject")
    if not 20 <= len(text) <= 50_000:
        raise InvalidAction(
            "Write the issue (at least 20 characters) or pick articles and answers.", field="text"
        )
    subscribers = db.session.scalars(
        select(NewsletterSubscription).where(NewsletterSubscription.is_confirmed.is_(True))
    ).all()
    for subscription in subscribers:
        leave_url = f"{mail.base_url()}/notifications/newsletter/leave/{_token(subscription, 'u')}"
        mail.queue_mail(
            subscription.email, subject, text, kind=KIND, headers={"unsubscribe_url": leave_url}
        )
    db.session.commit()
    return len(subscribers)


# A member's own subscription, managed in their settings


def _member_rows(user: User) -> list[NewsletterSubscription]:
    address = normalize_email(user.email)
    return list(
        db.session.scalars(
            select(NewsletterSubscription).where(
                or_(
                    NewsletterSubscription.user_id == user.id,
                    NewsletterSubscription.email == address,
                )
            )
        )
    )


def member_status(user: User) -> str:
    """The member's newsletter state: "confirmed", "pending" (a link is out) or "none"."""
    rows = _member_rows(user)
    if any(row.is_confirmed for row in rows):
        return "confirmed"
    return "pending" if rows else "none"


def join_as_member(user: User) -> None:
    """Sign the member's account address up: still confirmed by the link sent to it."""
    subscribe(user.email, user)


def leave_as_member(user: User) -> None:
    """Take the member's addresses off the list at once."""
    ids = [row.id for row in _member_rows(user)]
    if ids:
        db.session.execute(delete(NewsletterSubscription).where(NewsletterSubscription.id.in_(ids)))
    db.session.commit()
