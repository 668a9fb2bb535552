"""A real forum server in its own process, on a fresh SQLite file and search index."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium: Playwright's own browser downloads cannot work here.
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 20.0
RESET_LINK = re.compile(r"https?://\S+/account/password-reset/[\w.-]+")


def free_port() -> int:
    """A port nobody listens on right now (the server binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_environment(workdir: Path) -> dict[str, str]:
    """The environment of every forum command: only our FORUM_* settings, none inherited."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("FORUM_", "FLASK_"))
    }
    env.update(
        FORUM_ENV="development",
        FORUM_DATABASE_URL=f"sqlite:///{workdir / 'forum.db'}",
        FORUM_SEARCH_DIR=str(workdir / "index"),
        FORUM_RATELIMIT_ENABLED="false",
        # Seeded accounts are minutes old: treat them as established members, so their
        # posts show at once (the new-account hold has its own unit tests).
        FORUM_NEW_ACCOUNT_HOURS="0",
        FORUM_NEW_MEMBER_POSTS="0",
        # A prefix keeps from_prefixed_env from reading the key as a JSON number.
        FORUM_SECRET_KEY="browser-tests-" + secrets.token_hex(32),
        PYTHONUNBUFFERED="1",
    )
    return env


def migrate(env: dict[str, str]) -> None:
    """Build the schema the way an operator does: `flask db upgrade`."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class MailSink:
    """A real SMTP server on a loopback port: the forum's mail arrives here."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def texts(self) -> list[str]:
        bodies = [message.get_body(("plain",)) for message in list(self.messages)]
        return [body.get_content() for body in bodies if body is not None]


@dataclass
class LiveServer:
    """A running `flask run` process (its log in log_path) and the SMTP server it mails."""

    url: str
    log_path: Path
    process: subprocess.Popen[bytes]
    mail: MailSink
    smtp: Controller

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def reset_links(self) -> list[str]:
        """Password-reset links from the mails the server sent, oldest first."""
        return [link for text in self.mail.texts() for link in RESET_LINK.findall(text)]

    def wait_for_reset_link(self, known: int, timeout: float = 10.0) -> str:
        """The first reset link logged after the first `known` ones."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            links = self.reset_links()
            if len(links) > known:
                return links[known]
            time.sleep(0.1)
        raise AssertionError(f"no password-reset mail arrived within {timeout} s")

    def stop(self) -> None:
        self.smtp.stop()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(workdir: Path, env: dict[str, str]) -> LiveServer:
    """Start the server on a free port and wait until /healthz answers."""
    port = free_port()
    mail = MailSink()
    smtp = Controller(mail, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {
        **env,
        "FORUM_MAIL_SERVER": "127.0.0.1",
        "FORUM_MAIL_PORT": str(smtp.port),
        "FORUM_MAIL_USE_TLS": "false",
    }
    log_path = workdir / "server.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "forum", "run",
             "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = LiveServer(f"http://127.0.0.1:{port}", log_path, process, mail, smtp)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"the forum server exited at startup:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(
        f"the forum server did not answer within {STARTUP_SECONDS} s:\n{server.log()}"
    )
