"""Outgoing e-mail: SMTP when FORUM_MAIL_SERVER is set, the log in development, a list in tests."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def outbox() -> list[EmailMessage]:
    """Messages captured while testing (and in development without SMTP)."""
    captured: list[EmailMessage] = current_app.extensions.setdefault("mail_outbox", [])
    return captured


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
        return
    if config["ENV"] == "production" and not config["TESTING"]:
        log.error("mail not sent: FORUM_MAIL_SERVER is not set")
        return
    captured = outbox()
    captured.append(message)
    del captured[:-100]
    if config["ENV"] == "development":
        # Development only: there is no SMTP server, so the operator reads the link here.
        log.warning("mail (not sent, no FORUM_MAIL_SERVER): %s\n%s", subject, body)
