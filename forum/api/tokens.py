"""Personal API tokens: creating (shown once), listing, revoking and checking them."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from forum import policies
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.models import ApiToken, TokenScope, User, utcnow

log = logging.getLogger(__name__)

TOKEN_PREFIX = "hf_"  # noqa: S105 - a marker, not a secret
PREFIX_SHOWN = 10
NAME_MAX = 60
TOKENS_MAX = 50
# last_used_at is written at most this often: no write on every API request.
TOUCH_EVERY = timedelta(minutes=5)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def create_token(user: User, name: str, scope: str = "read") -> tuple[ApiToken, str]:
    """A new token for the user; returns it with its secret, which is never shown again."""
    policies.require(policies.is_member(user), message="Only members in good standing get tokens.")
    name = " ".join(name.split())
    if not 1 <= len(name) <= NAME_MAX:
        raise InvalidAction(f"Give the token a name of 1 to {NAME_MAX} characters.", field="name")
    try:
        token_scope = TokenScope(scope)
    except ValueError as error:
        raise InvalidAction("Choose read or write.", field="scope") from error
    if len(active_tokens(user)) >= TOKENS_MAX:
        raise InvalidAction(f"You have {TOKENS_MAX} tokens: revoke one first.", field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=token_scope,
        token_hash=hash_token(raw),
        prefix=raw[:PREFIX_SHOWN],
    )
    db.session.add(token)
    db.session.commit()
    log.info("api token %s created for user %s", token.id, user.id)
    return token, raw


def active_tokens(user: User) -> list[ApiToken]:
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(query))


def token_of(user: User, token_id: int) -> ApiToken:
    """One of the user's own active tokens (anyone else's is "not found")."""
    token = db.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
    if token is None or token.user_id != user.id or not token.is_active:
        raise NotFound()
    return token


def revoke_token(user: User, token: ApiToken) -> None:
    """The owner revokes a token: it stops working at once."""
    policies.require(token.user_id == user.id, hide=True)
    token.revoked_at = utcnow()
    db.session.commit()
    log.info("api token %s revoked", token.id)


def find_token(raw: str) -> ApiToken | None:
    """The active token with this secret, if its account may still use the forum."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or not token.is_active:
        return None
    user = token.user
    if user.is_banned or user.is_deleted:
        return None
    return token


def record_use(token: ApiToken) -> None:
    """Note when a token was last used, at most once every few minutes."""
    now = utcnow()
    if token.last_used_at is not None and token.last_used_at > now - TOUCH_EVERY:
        return
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    db.session.commit()
