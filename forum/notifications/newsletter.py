"""The newsletter: double opt-in sign-up, leaving with one click, editors sending an issue."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from forum import mail, policies
from forum.auth.services import normalize_email
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.models import NewsletterSubscription, User, utcnow

CONFIRM_MAX_AGE = 3 * 24 * 3600
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


def send_issue(editor: User, subject: str, text: str) -> int:
    """Queue an issue for every confirmed address; returns how many."""
    policies.require(policies.is_editor(editor), message="Only editors send the newsletter.")
    subject, text = subject.strip(), text.strip()
    if not 5 <= len(subject) <= 150:
        raise InvalidAction("Write a subject of 5 to 150 characters.", field="subject")
    if not 20 <= len(text) <= 50_000:
        raise InvalidAction("Write the issue (at least 20 characters).", field="text")
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
