"""Many members posting at once to `gunicorn -w 4`: after `flask search sync`, every post is found.

Real worker processes share the database and the Whoosh index, each with its background
drain; the ones that lose the race for the index writer leave their outbox rows, and the
sync command applies them. The search is checked through the workers' own search page.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import TOKEN_PATTERN
from tests.factories import PASSWORD, make_community, make_thread, make_user

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4
CLIENTS = 6
THREADS_EACH = 3
REPLIES_EACH = 3
DEADLINE = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(app: Flask) -> dict[str, str]:
    """The app's database and index for other processes, sessions shared by every worker."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    env.update(
        FORUM_ENV="development",
        FORUM_SECRET_KEY="a shared secret for the worker processes of this test",
        FORUM_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        FORUM_SEARCH_BACKEND="whoosh",
        FORUM_SEARCH_DIR=app.config["SEARCH_DIR"],
        FORUM_RATELIMIT_ENABLED="false",
        FORUM_NEW_ACCOUNT_HOURS="0",
        FORUM_NEW_MEMBER_POSTS="0",
    )
    return env


@pytest.fixture
def server(app: Flask, tmp_path: Path) -> Iterator[str]:
    """`gunicorn -w 4` on a free local port, stopped (and killed if need be) afterwards."""
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--timeout", "30", "--graceful-timeout", "5", "wsgi:app"],
        cwd=ROOT, env=server_env(app), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited at start"
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 30 s")


class Browser:
    """A member's browser: cookies, and the CSRF token of each form it submits."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def submit(self, form_path: str, action: str, fields: dict[str, str]) -> tuple[str, str]:
        """Load the form's page, then post the form with its token; returns (url, page)."""
        _, page = self.get(form_path)
        match = TOKEN_PATTERN.search(page)
        assert match, f"no CSRF token on {form_path}"
        data = urllib.parse.urlencode({**fields, "csrf_token": match.group(1)}).encode()
        with self.opener.open(self.base + action, data=data, timeout=30) as response:
            return response.geturl(), response.read().decode()


def post_as(base: str, name: str, community: str, thread_ids: list[int]) -> list[str]:
    """Log in, ask questions and reply to others, each with a unique word; returns the words."""
    browser = Browser(base)
    url, _ = browser.submit(
        "/account/login", "/account/login", {"login": name, "password": PASSWORD}
    )
    assert "/account/login" not in url, f"{name} could not log in"
    words = []
    for number in range(THREADS_EACH):
        word = f"qx{name}t{number}zv"
        url, _ = browser.submit(
            "/threads/new",
            "/threads/new",
            {"community": community, "kind": "question", "title": f"Question about {word}",
             "body": f"My details mention {word} and nothing else.", "tags": ""},
        )  # fmt: skip
        assert re.search(r"/threads/\d+$", url), f"question {word} was not posted"
        words.append(word)
    for number, thread_id in enumerate(thread_ids[:REPLIES_EACH]):
        word = f"qx{name}r{number}zv"
        url, _ = browser.submit(
            f"/threads/{thread_id}",
            f"/threads/{thread_id}/replies",
            {"body": f"In my experience {word} helped."},
        )
        assert f"/threads/{thread_id}" in url, f"reply {word} was not posted"
        words.append(word)
    return words


@pytest.mark.slow
def test_every_post_made_concurrently_to_four_workers_is_found_after_a_sync(
    app: Flask, server: str
) -> None:
    started = time.monotonic()
    community = make_community(slug="busy-group")
    names = [make_user().name for _ in range(CLIENTS)]
    seeds = [make_thread(community, title=f"Shared question number {n}").id for n in range(3)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [pool.submit(post_as, server, name, community.slug, seeds) for name in names]
        words = [word for future in futures for word in future.result(timeout=DEADLINE)]
    assert len(words) == CLIENTS * (THREADS_EACH + REPLIES_EACH)

    sync = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", "search", "sync"],
        cwd=ROOT, env=server_env(app), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert sync.returncode == 0, sync.stdout + sync.stderr
    assert "; 0 pending" in sync.stdout

    browser = Browser(server)
    missing = []
    for word in words:
        _, page = browser.get(f"/search?q={word}")
        if not re.search(r"\b1 result\b", page) or word not in page:
            missing.append(word)
    assert not missing, f"not found after the sync: {missing}"
    assert time.monotonic() - started < DEADLINE * 2
