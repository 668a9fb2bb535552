"""Accounts: registration, credentials, passwords, e-mail, roles and sessions."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from forum import audit, policies
from forum.auth import passwords
from forum.errors import InvalidAction
from forum.extensions import db
from forum.mail import send_mail
from forum.models import Role, User, utcnow

log = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{3,30}")
RESERVED_NAMES = frozenset(
    {
        "admin", "administrator", "root", "system", "moderator", "mod", "editor", "staff",
        "support", "help", "helpdesk", "security", "official", "forum", "healthforum",
        "anonymous", "anonymous-member", "former-member", "deleted", "null", "none",
        "undefined", "api", "www", "mail", "postmaster", "webmaster", "abuse", "noreply",
        "no-reply", "expert", "experts", "doctor", "nurse", "pharmacist", "me", "settings",
        "login", "logout", "register", "account", "new", "edit", "search",
    }
)  # fmt: skip
WRONG_CREDENTIALS = "Wrong name or password."
RESET_SALT = "password-reset"


def name_problem(name: str) -> str | None:
    """What is wrong with a new public name, or None."""
    if not NAME_PATTERN.fullmatch(name):
        return "Use 3 to 30 letters, digits, '_' or '-'."
    if name.lower() in RESERVED_NAMES:
        return "That name is reserved. Please choose another."
    if db.session.scalar(select(User.id).where(User.name_key == name.lower())):
        return "That name is taken. Please choose another."
    return None


def normalize_email(email: str) -> str:
    """Validate an address and return its normalized, lower-cased form."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidAction(str(error), field="email") from error
    return checked.normalized.lower()


def email_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def registration_problems(name: str, email: str, password: str) -> dict[str, str]:
    """Every problem with a registration at once, by field (empty when it may go ahead)."""
    problems: dict[str, str] = {}
    name = name.strip()
    if problem := name_problem(name):
        problems["name"] = problem
    normalized = email.strip().lower()
    try:
        normalized = normalize_email(email)
    except InvalidAction as error:
        problems["email"] = error.message
    else:
        if email_taken(normalized):
            problems["email"] = "An account with that e-mail already exists."
    if problem := passwords.password_problem(password, name, normalized):
        problems["password"] = problem
    return problems


def register_user(
    name: str,
    email: str,
    password: str,
    role: Role = Role.MEMBER,
    *,
    health_consent: bool = False,
) -> User:
    """Create an account after checking every rule (health consent: may post)."""
    name = name.strip()
    problem = name_problem(name)
    if problem:
        raise InvalidAction(problem, field="name")
    normalized = normalize_email(email)
    if email_taken(normalized):
        # Same wording as a wrong address would not help here: registration must say it.
        raise InvalidAction("An account with that e-mail already exists.", field="email")
    problem = passwords.password_problem(password, name, normalized)
    if problem:
        raise InvalidAction(problem, field="password")
    user = User(
        name=name,
        name_key=name.lower(),
        email=normalized,
        password_hash=passwords.hash_password(password),
        role=role,
    )
    if health_consent:
        user.health_consent_at = utcnow()
        user.health_consent_version = current_app.config["HEALTH_CONSENT_VERSION"]
    db.session.add(user)
    db.session.commit()
    log.info("user %s registered", user.id)
    return user


def find_by_login(login: str) -> User | None:
    """The account a pseudonym or e-mail address names."""
    login = login.strip()
    if "@" in login:
        return db.session.scalar(select(User).where(User.email == login.lower()))
    return db.session.scalar(select(User).where(User.name_key == login.lower()))


def check_credentials(login: str, password: str) -> User:
    """The account for these credentials; the same error whatever was wrong."""
    user = find_by_login(login) if login else None
    if user is None:
        passwords.burn_time()
        raise InvalidAction(WRONG_CREDENTIALS)
    if not passwords.verify_password(user.password_hash, password):
        raise InvalidAction(WRONG_CREDENTIALS)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_seen_at = utcnow()
    db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Log the account out of every browser and device."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.commit()
    db.session.refresh(user)


def _set_password(user: User, new_password: str) -> None:
    problem = passwords.password_problem(new_password, user.name, user.email)
    if problem:
        raise InvalidAction(problem, field="new_password")
    user.password_hash = passwords.hash_password(new_password)
    user.session_version = User.session_version + 1


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a password; every other session ends."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise InvalidAction("Your current password is not right.", field="current_password")
    _set_password(user, new_password)
    db.session.commit()
    db.session.refresh(user)
    log.info("user %s changed password", user.id)


def change_email(user: User, current_password: str, new_email: str) -> None:
    """Change the private e-mail address after confirming the password."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise InvalidAction("Your current password is not right.", field="current_password")
    normalized = normalize_email(new_email)
    if normalized != user.email and email_taken(normalized):
        raise InvalidAction("An account with that e-mail already exists.", field="email")
    user.email = normalized
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, earlier links stop working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "fp": _password_fingerprint(user)})


def send_password_reset(login: str, reset_url: Callable[[str], str]) -> None:
    """E-mail a reset link if the account exists; say nothing either way.

    The view runs this after its response is sent, so the answer takes as long whether the
    account exists or not.
    """
    user = find_by_login(login) if login.strip() else None
    if user is None or user.is_banned:
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    link = reset_url(make_reset_token(user))
    send_mail(
        user.email,
        "Reset your password",
        f"Hello {user.name},\n\nSomeone asked to reset the password of your account. "
        f"To choose a new password, open this link within {minutes} minutes:\n\n{link}\n\n"
        "If it was not you, ignore this message: your password stays as it is.\n",
    )
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for, if the link is genuine, fresh and unused."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    expired = InvalidAction("This reset link has expired or was already used.")
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise expired from error
    except BadSignature as error:
        raise InvalidAction("This reset link is not valid.") from error
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise InvalidAction("This reset link is not valid.")
    user = db.session.get(User, data["user"])
    if user is None or data.get("fp") != _password_fingerprint(user):
        raise expired
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; every existing session ends."""
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    db.session.commit()
    db.session.refresh(user)
    log.info("user %s reset password", user.id)
    return user


def set_role(actor: User | None, user: User, role: Role) -> None:
    """Give an account a role; actor None is the operator on the command line."""
    if actor is not None:
        policies.require(policies.can_change_role(actor, user))
    previous = user.role
    user.role = role
    audit.record(
        actor, "user.set_role", "user", user.id, details={"from": previous.value, "to": role.value}
    )
    db.session.commit()
    log.info("user %s role set to %s", user.id, role.value)


def find_user_by_name(name: str) -> User | None:
    return db.session.scalar(select(User).where(User.name_key == func.lower(name.strip())))
