"""The mail outbox sends through a real SMTP server (aiosmtpd on a loopback port)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from forum import mail
from forum.extensions import db
from forum.models import MailOutbox, MailStatus, utcnow
from tests.conftest import CsrfClient
from tests.factories import make_reply, make_thread, make_user


class Inbox:
    """An aiosmtpd handler that keeps messages and refuses the first `refuse` ones."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(app: Flask) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_SENDER="Forum <a@b.test>"
    )
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_reply_mail_has_headers_both_parts_and_no_health_details(app: Flask, smtp: Inbox) -> None:
    hannah = make_user()
    make_reply(make_thread(author=hannah, title="Insulin pump site infections"))
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["From"] == "Forum <a@b.test>"
    assert message["To"] == hannah.email
    assert message["Subject"] == "New reply to your question"
    assert message["List-Unsubscribe"].startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "/notifications/unsubscribe/" in text.get_content()
    assert "Insulin" not in message.as_string()


def test_full_text_opt_in_puts_the_title_in_the_subject(app: Flask, smtp: Inbox) -> None:
    from forum.notifications import services

    hannah = make_user()
    services.save_settings(hannah, {}, full_text=True)
    make_reply(make_thread(author=hannah, title="Insulin pump site infections"))
    assert smtp.messages[-1]["Subject"] == "New reply: Insulin pump site infections"


def test_a_refused_message_is_retried_with_backoff_then_sent(app: Flask, smtp: Inbox) -> None:
    smtp.refuse = 1
    make_reply(make_thread(author=make_user()))
    row = db.session.scalar(select(MailOutbox))
    assert row is not None
    assert (row.status, row.attempts) == (MailStatus.PENDING.value, 1)
    assert "Try again later" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=30)
    assert mail.drain_all().handled == 0  # not due yet
    result = mail.drain_all(now=row.next_attempt_at + timedelta(seconds=1))
    assert result.sent == 1
    db.session.refresh(row)
    assert (row.status, row.attempts) == (MailStatus.SENT.value, 2)
    assert len(smtp.messages) == 1


def test_a_message_is_given_up_after_the_limit_and_shown_to_admins(
    app: Flask, smtp: Inbox, client: CsrfClient
) -> None:
    from forum.models import Role
    from tests.conftest import login

    app.config["MAIL_MAX_ATTEMPTS"] = 2
    smtp.refuse = 5
    make_reply(make_thread(author=make_user()))
    mail.drain_all(now=utcnow() + timedelta(days=1))
    row = db.session.scalar(select(MailOutbox))
    assert row is not None and row.status == MailStatus.FAILED.value
    login(client, make_user())
    assert client.get("/notifications/mail").status_code == 403
    admin_client = app.test_client()
    login(admin_client, make_user(role=Role.ADMIN))
    page = admin_client.get("/notifications/mail").get_data(as_text=True)
    assert "Failed: 1" in page and "reply_mine" in page


def test_mail_drain_command_sends_what_is_due(app: Flask, smtp: Inbox) -> None:
    app.config["MAIL_DRAIN"] = "off"
    mail.send_mail("someone@example.org", "Hello", "A plain message.")
    assert smtp.messages == []
    output = app.test_cli_runner().invoke(args=["mail", "drain"]).output
    assert "sent 1" in output
    assert smtp.messages[0]["To"] == "someone@example.org"
    assert "List-Unsubscribe" not in smtp.messages[0]


def test_the_log_never_carries_the_body(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    app.config["ENV"] = "development"
    with caplog.at_level("INFO"):
        mail.send_mail("someone@example.org", "Reset your password", "secret-link-123")
    assert mail.outbox()[-1]["To"] == "someone@example.org"
    assert "secret-link-123" not in caplog.text
    assert "someone@example.org" not in caplog.text
