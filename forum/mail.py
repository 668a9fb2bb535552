"""Outgoing e-mail through an outbox: a row written with its cause, sent after the commit.

Every message is a `MailOutbox` row. After a commit that wrote rows, they are sent in process
(at once in tests, by a background thread otherwise) unless MAIL_DRAIN is "off", where
`flask mail worker` sends them. Sending goes to SMTP when FORUM_MAIL_SERVER is set, else to an
in-memory list (tests and development). Failures are retried with exponential backoff and
given up after MAIL_MAX_ATTEMPTS. The log carries kinds, row and member ids, never bodies.
The Session listeners that send after the commit are installed by forum/listeners.py.
"""

from __future__ import annotations

import html
import json
import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import Flask, current_app, has_app_context, has_request_context, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from forum import background
from forum.extensions import db
from forum.models import MailOutbox, MailStatus, NotificationKind, utcnow

log = logging.getLogger(__name__)

PENDING_FLAG = "forum_mail_pending"
WRITES_FLAG = "forum_mail_writes"
DRAIN_SESSION = "forum_mail_drain"
SEND_THREAD = "mail-send"
BATCH = 50
LEASE = timedelta(minutes=5)
# Kinds a member can turn off from the message itself (account mail cannot be turned off).
DIGEST_KINDS = ("digest_daily", "digest_weekly")
OPT_OUT_KINDS = frozenset({kind.value for kind in NotificationKind} | set(DIGEST_KINDS))
URL_PATTERN = re.compile(r"https?://[^\s<>\"]+")


class MailNotConfigured(Exception):
    """Production without FORUM_MAIL_SERVER: the row waits and is retried."""


def outbox() -> list[EmailMessage]:
    """Messages captured while testing (and in development without SMTP)."""
    captured: list[EmailMessage] = current_app.extensions.setdefault("mail_outbox", [])
    return captured


def base_url() -> str:
    """The site's address for links in e-mail."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost:5000"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mail-unsubscribe")


def make_unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(member id, kind) of a genuine unsubscribe token, else None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    kind = data.get("k")
    return (data["u"], kind) if isinstance(kind, str) and kind in OPT_OUT_KINDS else None


def queue_mail(
    to: str,
    subject: str,
    text: str,
    *,
    kind: str = "account",
    user_id: int | None = None,
    html_body: str = "",
    headers: dict[str, str] | None = None,
) -> MailOutbox:
    """Add one message to the caller's transaction (no commit): it goes out after it."""
    extra = {"base_url": base_url(), **(headers or {})}
    row = MailOutbox(
        to=to,
        subject=subject[:200],
        text=text,
        html=html_body,
        kind=kind,
        user_id=user_id,
        headers=json.dumps(extra),
        next_attempt_at=utcnow(),
    )
    db.session.add(row)
    mark_pending(db.session())
    log.info("mail %s queued for user %s", kind, user_id)
    return row


def mark_pending(session: Session) -> None:
    """Rows were written (also by INSERT ... SELECT): send after this session commits."""
    session.info[PENDING_FLAG] = True


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text account message (reset links, moderators' warnings).

    Inside a transaction that wrote something the message joins it; called on its own (or
    after the caller's commit) it is committed at once in a short transaction of its own.
    """
    session = db.session()
    if session.new or session.dirty or session.deleted or session.info.get(WRITES_FLAG):
        queue_mail(to, subject, body)
        return
    with Session(db.engine) as own:
        own.add(
            MailOutbox(
                to=to,
                subject=subject[:200],
                text=body,
                kind="account",
                headers=json.dumps({"base_url": base_url()}),
                next_attempt_at=utcnow(),
            )
        )
        mark_pending(own)
        own.commit()
    log.info("mail account queued")


# Building the message


def text_to_html(text: str) -> str:
    """Plain text as simple HTML paragraphs with links."""
    paragraphs = []
    for block in text.strip().split("\n\n"):
        escaped = html.escape(block)
        linked = URL_PATTERN.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        paragraphs.append(f"<p>{linked.replace(chr(10), '<br>')}</p>")
    return "\n".join(paragraphs)


def build_message(row: MailOutbox) -> EmailMessage:
    """The message of a row: headers, unsubscribe link, a plain-text and an HTML part."""
    config = current_app.config
    extra: dict[str, str] = json.loads(row.headers or "{}")
    site = extra.pop("base_url", "") or base_url()
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = row.to
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=f"mail{row.id}")
    message["Auto-Submitted"] = "auto-generated"
    text, body_html = row.text, row.html or text_to_html(row.text)
    unsubscribe = extra.pop("unsubscribe_url", "")
    if not unsubscribe and row.user_id is not None and row.kind in OPT_OUT_KINDS:
        token = make_unsubscribe_token(row.user_id, row.kind)
        unsubscribe = f"{site}/notifications/unsubscribe/{token}"
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text += f"\n\n--\nTo stop e-mails like this one: {unsubscribe}\n"
        body_html += (
            f'\n<hr><p><a href="{html.escape(unsubscribe)}">Unsubscribe</a> '
            "from e-mails like this one.</p>"
        )
    for name, value in extra.items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(f"<!doctype html>\n<html><body>{body_html}</body></html>", "html")
    return message


def _deliver(message: EmailMessage, row: MailOutbox) -> None:
    config = current_app.config
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
        return
    if config["ENV"] == "production" and not config["TESTING"]:
        raise MailNotConfigured("FORUM_MAIL_SERVER is not set")
    captured = outbox()
    captured.append(message)
    del captured[:-100]
    if config["ENV"] == "development":
        # Never the body: it can hold reset links and health details.
        log.warning("mail %s (row %s, user %s) kept in memory: no FORUM_MAIL_SERVER",
                    row.kind, row.id, row.user_id)  # fmt: skip


# Sending the outbox


@dataclass(frozen=True)
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def _claim(session: Session, now: datetime, batch: int) -> list[int]:
    """Take due rows for this sender; SKIP LOCKED keeps PostgreSQL workers apart."""
    due = (
        select(MailOutbox.id)
        .where(
            MailOutbox.status.in_([MailStatus.PENDING.value, MailStatus.SENDING.value]),
            MailOutbox.next_attempt_at <= now,
        )
        .order_by(MailOutbox.id)
        .limit(batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if not ids:
        return []
    lease = now + LEASE
    # The guard repeats the due condition: on SQLite a racing sender's update matches nothing.
    session.execute(
        update(MailOutbox)
        .where(MailOutbox.id.in_(ids), MailOutbox.next_attempt_at <= now)
        .values(status=MailStatus.SENDING.value, next_attempt_at=lease)
    )
    claimed = select(MailOutbox.id).where(
        MailOutbox.id.in_(ids), MailOutbox.next_attempt_at == lease
    )
    taken = list(session.scalars(claimed))
    session.commit()
    return taken


def _send_row(session: Session, row: MailOutbox, now: datetime) -> str:
    config = current_app.config
    try:
        _deliver(build_message(row), row)
    except (OSError, smtplib.SMTPException, MailNotConfigured) as error:
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:300]
        if row.attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
            row.status = MailStatus.FAILED.value
            log.error("mail row %s failed for good after %s attempts", row.id, row.attempts)
            return "failed"
        delay = int(config["MAIL_RETRY_SECONDS"]) * 2 ** (row.attempts - 1)
        row.status = MailStatus.PENDING.value
        row.next_attempt_at = now + timedelta(seconds=delay)
        log.warning("mail row %s not sent (attempt %s), retry in %ss", row.id, row.attempts, delay)
        return "retried"
    row.status, row.sent_at, row.attempts = MailStatus.SENT.value, utcnow(), row.attempts + 1
    log.info("mail %s sent (row %s, user %s)", row.kind, row.id, row.user_id)
    return "sent"


def drain(now: datetime | None = None, batch: int = BATCH) -> DrainResult:
    """Send one batch of due rows."""
    now = now or utcnow()
    counts = {"sent": 0, "retried": 0, "failed": 0}
    with Session(db.engine, info={DRAIN_SESSION: True}) as session:
        for row_id in _claim(session, now, batch):
            row = session.get(MailOutbox, row_id)
            if row is not None:
                counts[_send_row(session, row, now)] += 1
                session.commit()
    return DrainResult(**counts)


def drain_all(now: datetime | None = None, max_batches: int = 200) -> DrainResult:
    """Send everything that is due now."""
    sent = retried = failed = 0
    for _ in range(max_batches):
        result = drain(now)
        sent, retried, failed = sent + result.sent, retried + result.retried, failed + result.failed
        if result.handled == 0:
            break
    return DrainResult(sent, retried, failed)


def drain_mode(app: Flask) -> str:
    mode = str(app.config["MAIL_DRAIN"])
    if mode == "auto":
        return "sync" if app.testing else "thread"
    return mode if mode in ("sync", "thread", "off") else "thread"


def note_writes(session: Session, _context: Any) -> None:
    """after_flush: the transaction wrote something (send_mail joins it)."""
    session.info[WRITES_FLAG] = True


def send_after_commit(session: Session) -> None:
    """after_commit: send the messages the transaction queued (see drain_mode)."""
    session.info.pop(WRITES_FLAG, None)
    if not session.info.pop(PENDING_FLAG, False) or session.info.get(DRAIN_SESSION):
        return
    if not has_app_context():
        return
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    mode = drain_mode(app)
    if mode == "sync":
        _send_due()
    elif mode == "thread":
        background.worker(app, SEND_THREAD, _send_due).wake()


def _send_due() -> float:
    """Send what is due; in the background thread, again after a while for retries come due."""
    try:
        drain_all()
    except Exception:
        log.exception("mail drain failed; the outbox keeps the messages")
    return max(float(current_app.config["MAIL_WORKER_SLEEP"]), 1.0) * 12


def forget_writes(session: Session, _transaction: Any) -> None:
    """after_soft_rollback: what the transaction wrote or queued is gone."""
    session.info.pop(WRITES_FLAG, None)
    session.info.pop(PENDING_FLAG, None)
