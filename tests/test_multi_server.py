"""Several app servers work as one: two gunicorns on one PostgreSQL database and one Redis.

Each server has its own port and instance folder, the PostgreSQL search backend and no mail
sender of its own: one `flask mail worker` process sends for both, to a real SMTP server on
a loopback port. What one server writes, the other shows, finds and forgets from its page
cache; sessions and rate limits are shared through the secret key and Redis; a server killed
with SIGKILL in the middle of 200 replies loses none it acknowledged. Two more tests stop the
services themselves: a throwaway PostgreSQL cluster (initdb, pg_ctl) that restarts under a
running server (503, then recovery without a restart), and a throwaway Redis that goes away
(rate limits and caches fall back to each process; no 500).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select

from forum import create_app
from forum.api import tokens
from forum.extensions import db
from forum.models import MailOutbox, Post, SearchOutbox
from forum.models.notification import MailStatus
from tests.browser.server import MailSink
from tests.conftest import TOKEN_PATTERN, service_url
from tests.factories import PASSWORD, make_community, make_thread, make_user
from tests.test_search_workers import Browser, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
REPLIES = 200
KILL_AFTER = 60  # acknowledged replies before the first server is killed
POSTERS = 8
WAIT = 30.0  # the longest any eventual state may take on a loaded 2-core machine


@dataclass
class Server:
    """One `gunicorn -w 2` (its own process group, so SIGKILL reaches every worker)."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start_gunicorn(env: dict[str, str], folder: Path) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = folder / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
             "--timeout", "30", "--graceful-timeout", "3", "wsgi:app"],
            cwd=ROOT, env={**env, "FORUM_INSTANCE_PATH": str(folder)},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited at start:\n{server.log()}"
        if status_of(server.url + "/healthz") == 200:
            return server
        time.sleep(0.2)
    server.kill()
    pytest.fail(f"gunicorn did not answer within {WAIT} s:\n{server.log()}")


def request(
    url: str, data: dict[str, object] | None = None, token: str | None = None
) -> tuple[int, bytes]:
    """(status, body) of a GET, or of a JSON POST when data is given; 0 when nothing answered."""
    headers = {"Accept": "application/json"} if token or data is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    call = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(call, timeout=20) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, urllib.error.URLError):
        return 0, b""


def status_of(url: str) -> int:
    return request(url)[0]


def eventually(check: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"{what}: not within {timeout} s")


def server_env(database_url: str, redis_url: str, smtp_port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    prefix = f"forum-test-{secrets.token_hex(6)}"  # keeps this run's keys apart in Redis
    env.update(
        FORUM_ENV="development",
        FORUM_SECRET_KEY="several-servers-" + secrets.token_hex(24),
        FORUM_DATABASE_URL=database_url,
        FORUM_REDIS_URL=redis_url,
        FORUM_CACHE_KEY_PREFIX=prefix,
        FORUM_RATELIMIT_KEY_PREFIX=prefix,
        FORUM_SEARCH_BACKEND="postgres",
        FORUM_MAIL_SERVER="127.0.0.1",
        FORUM_MAIL_PORT=str(smtp_port),
        FORUM_MAIL_USE_TLS="false",
        FORUM_MAIL_DRAIN="off",
        FORUM_MAIL_WORKER_SLEEP="0.2",
        FORUM_PAGE_CACHE_SECONDS="60",
        FORUM_POST_RATE_LIMIT="10000 per minute",
        FORUM_API_RATE_LIMIT="10000 per minute",
        FORUM_SEARCH_RATE_LIMIT="10000 per minute",
        FORUM_LOGIN_RATE_LIMIT="1000 per minute",  # the per-account limits are under test
        FORUM_NEW_ACCOUNT_HOURS="0",
        FORUM_NEW_MEMBER_POSTS="0",
        FORUM_DUPLICATE_POST_MINUTES="0",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Cluster:
    first: Server
    second: Server
    mail: MailSink
    thread_ids: list[int]
    tokens: list[str]
    names: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def cluster(app: Flask, tmp_path: Path) -> Iterator[Cluster]:
    redis_url = service_url("FORUM_TEST_REDIS_URL")
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    hannah = make_user(name="hannah", email="hannah@example.org")
    make_user(name="quentin")
    community = make_community(name="Heart rhythm")
    thread_ids = [
        make_thread(community, hannah, title=f"Living with atrial fibrillation, question {n}").id
        for n in range(5)
    ]
    raw_tokens = [
        tokens.create_token(make_user(name=f"poster{n}"), "load test", scope="write")[1]
        for n in range(POSTERS)
    ]
    db.session.commit()
    mail = MailSink()
    smtp = Controller(mail, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = server_env(database_url, redis_url, smtp.port)
    worker_log = (tmp_path / "mail-worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "forum", "mail", "worker"],
        cwd=ROOT, env={**env, "FORUM_INSTANCE_PATH": str(tmp_path / "worker")},
        stdout=worker_log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    servers: list[Server] = []
    try:
        servers.append(start_gunicorn(env, tmp_path / "first"))
        servers.append(start_gunicorn(env, tmp_path / "second"))
        yield Cluster(servers[0], servers[1], mail, thread_ids, raw_tokens)
    finally:
        for server in servers:
            server.kill(signal.SIGTERM)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=10)
        worker_log.close()
        smtp.stop()
        db.session.remove()


def reply(server: Server, thread_id: int, token: str, word: str) -> tuple[int, int | None]:
    status, body = request(
        f"{server.url}/api/v1/threads/{thread_id}/posts",
        {"body": f"What helped me was {word}, every morning."},
        token,
    )
    post_id = json.loads(body)["id"] if status == 201 else None
    return status, post_id


def search_finds(server: Server, word: str, thread_id: int) -> bool:
    status, body = request(f"{server.url}/api/v1/search?q={word}")
    return status == 200 and any(item["id"] == thread_id for item in json.loads(body)["items"])


def page_of(server: Server, path: str) -> str:
    status, body = request(server.url + path)
    assert status == 200, f"{path} answered {status}"
    return body.decode()


def page_cache_state(server: Server, path: str) -> str:
    """The X-Page-Cache header of a visitor's GET: "hit" when served from the shared copy."""
    with urllib.request.urlopen(server.url + path, timeout=20) as response:  # noqa: S310
        return str(response.headers.get("X-Page-Cache", ""))


def login_status(server: Server, name: str, password: str) -> int:
    """A fresh browser's login attempt: 302 on success, 422 for a wrong password, 429 refused."""
    browser = Browser(server.url)
    _, page = browser.get("/account/login")
    match = TOKEN_PATTERN.search(page)
    assert match, "no CSRF token on the login page"
    data = urllib.parse.urlencode(
        {"login": name, "password": password, "csrf_token": match.group(1)}
    ).encode()
    try:
        with browser.opener.open(server.url + "/account/login", data=data, timeout=20) as answer:
            return 302 if "/account/login" not in answer.geturl() else answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_servers_share_replies_search_sessions_limits_and_the_page_cache(
    cluster: Cluster,
) -> None:
    first, second = cluster.first, cluster.second
    thread_id = cluster.thread_ids[0]
    # A visitor's thread page is cached on both servers before the reply.
    for server in (first, second):
        assert "quillwort" not in page_of(server, f"/threads/{thread_id}")
        assert page_cache_state(server, f"/threads/{thread_id}") == "hit"

    status, post_id = reply(first, thread_id, cluster.tokens[0], "quillwort")
    assert status == 201 and post_id

    # Visible on the other server at once: the API, and the cached visitor page.
    assert "quillwort" in page_of(second, f"/api/v1/threads/{thread_id}")
    assert "quillwort" in page_of(second, f"/threads/{thread_id}")
    assert "quillwort" in page_of(first, f"/threads/{thread_id}")
    eventually(lambda: search_finds(second, "quillwort", thread_id), "search on the other server")

    # One login works on both servers (the session is signed with the shared key).
    browser = Browser(first.url)
    url, _ = browser.submit(
        "/account/login", "/account/login", {"login": "hannah", "password": PASSWORD}
    )
    assert "/account/login" not in url
    browser.base = second.url
    url, page = browser.get("/notifications")
    assert "/account/login" not in url and "/notifications" in url and "hannah" in page

    # Wrong passwords are counted in Redis: 3 on one server and 2 on the other use up five.
    statuses = [login_status(first, "quentin", "wrong password") for _ in range(3)]
    statuses += [login_status(second, "quentin", "wrong password") for _ in range(2)]
    assert statuses == [422] * 5
    assert login_status(second, "quentin", PASSWORD) == 429
    assert login_status(first, "quentin", PASSWORD) == 429

    # The mail worker sent hannah her reply notice.
    eventually(lambda: bool(cluster.mail.messages), "the reply e-mail")
    assert any(m["To"] == "hannah@example.org" for m in cluster.mail.messages)


def test_a_server_killed_mid_load_loses_no_acknowledged_reply(cluster: Cluster, app: Flask) -> None:
    first, second = cluster.first, cluster.second
    acknowledged: dict[int, str] = {}  # post id -> its word
    on_first: list[str] = []
    killed = False

    def send(number: int) -> tuple[int, int | None, str, bool]:
        server = first if number % 2 == 0 else second
        word = f"kx{number}wq"
        thread_id = cluster.thread_ids[number % len(cluster.thread_ids)]
        status, post_id = reply(server, thread_id, cluster.tokens[number % POSTERS], word)
        return status, post_id, word, server is first

    with ThreadPoolExecutor(max_workers=POSTERS) as pool:
        for status, post_id, word, was_first in pool.map(send, range(REPLIES)):
            if status == 201 and post_id is not None:
                acknowledged[post_id] = word
                if was_first:
                    on_first.append(word)
            else:
                assert status == 0, f"a reply got {status}, not 201 or a dropped connection"
            if not killed and len(acknowledged) >= KILL_AFTER:
                first.kill()
                killed = True
    assert killed and len(acknowledged) < REPLIES, "the first server died before the end"
    assert len(acknowledged) >= REPLIES // 2  # the second server took its share throughout

    with app.app_context():
        stored = set(db.session.scalars(select(Post.id).where(Post.id.in_(acknowledged))))
        assert stored == set(acknowledged)

    # Rows left by the killed server are drained by the survivor (its next commit wakes it).
    assert reply(second, cluster.thread_ids[0], cluster.tokens[0], "afterwards")[0] == 201

    def outboxes_empty() -> bool:
        with app.app_context():
            search_rows = db.session.scalar(select(func.count()).select_from(SearchOutbox))
            unsent = db.session.scalar(
                select(func.count())
                .select_from(MailOutbox)
                .where(MailOutbox.status == MailStatus.PENDING.value)
            )
            db.session.remove()
            return search_rows == 0 and unsent == 0

    eventually(outboxes_empty, "search and mail outboxes drained")
    words_to_check = on_first[-5:] + list(acknowledged.values())[::20]
    missing = [
        word
        for word in words_to_check
        if not any(search_finds(second, word, t) for t in cluster.thread_ids)
    ]
    assert missing == []


# --- the services themselves going away ---------------------------------------------------


def as_postgres_user(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres account then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def pg_binary(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    path = str(found[-1]) if found else shutil.which(name)
    if not path:
        pytest.fail(f"{name} is not installed (PostgreSQL server binaries are needed)")
    return path


@dataclass
class ThrowawayPostgres:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            as_postgres_user([pg_binary("pg_ctl"), "-D", str(self.folder / "data"), "-w",
                              "-t", "60", "-l", str(self.folder / "server.log"), *args]),
            check=True, capture_output=True, timeout=90,
        )  # fmt: skip


@pytest.fixture
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    # Not under pytest's tmp_path: its folders are private to root, and postgres runs this.
    folder = Path(tempfile.mkdtemp(prefix="forum-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = ThrowawayPostgres(folder, free_port())
    subprocess.run(
        as_postgres_user([pg_binary("initdb"), "-D", str(folder / "data"), "-U", "postgres",
                          "-A", "trust", "--no-sync"]),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    settings = (
        f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{folder}'\nfsync = off\n"
    )
    with (folder / "data" / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(settings)
    cluster.ctl("start")
    try:
        yield cluster
    finally:
        subprocess.run(
            as_postgres_user([pg_binary("pg_ctl"), "-D", str(folder / "data"), "-m",
                              "immediate", "stop"]),
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def test_a_postgresql_restart_gives_503s_then_recovers_by_itself(
    throwaway_postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    schema_app = create_app({"ENV": "testing", "DATABASE_URL": throwaway_postgres.url})
    with schema_app.app_context():
        db.create_all()
        make_community(name="Heart rhythm")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    env = server_env(throwaway_postgres.url, service_url("FORUM_TEST_REDIS_URL"), free_port())
    env["FORUM_PAGE_CACHE_SECONDS"] = "0"  # every request goes to the database
    server = start_gunicorn(env, tmp_path / "server")
    try:
        assert status_of(server.url + "/communities") == 200
        throwaway_postgres.ctl("-m", "fast", "stop")
        statuses = {status_of(server.url + "/communities") for _ in range(4)}
        assert statuses == {503}
        status, body = request(server.url + "/api/v1/communities")
        assert status == 503 and json.loads(body)["error"]["code"] == "unavailable"
        throwaway_postgres.ctl("start")
        eventually(lambda: status_of(server.url + "/communities") == 200, "recovery", 30)
        assert "Heart rhythm" in page_of(server, "/communities")
        assert server.process.poll() is None
    finally:
        server.kill(signal.SIGTERM)


def redis_answers(port: int) -> bool:
    try:
        return bool(Redis(host="127.0.0.1", port=port, socket_timeout=1).ping())
    except RedisError:
        return False


def test_redis_going_away_degrades_to_each_process_without_errors(
    app: Flask, tmp_path: Path
) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("FORUM_TEST_DATABASE_URL is not set: the servers search with PostgreSQL")
    make_user(name="quentin")
    community = make_community(name="Heart rhythm")
    make_thread(community, make_user(name="hannah"), title="Pacemaker checks and travel")
    db.session.commit()
    community_page = f"/c/{community.slug}"
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        eventually(lambda: redis_answers(port), "the throwaway Redis starting", 10)
        env = server_env(app.config["SQLALCHEMY_DATABASE_URI"], f"redis://127.0.0.1:{port}/0", 1)
        server = start_gunicorn(env, tmp_path / "server")
        try:
            assert "Pacemaker" in page_of(server, community_page)
            redis.terminate()
            redis.wait(timeout=10)
            for path in ("/", community_page, "/search?q=pacemaker", "/healthz"):
                assert status_of(server.url + path) == 200, path
            # Limits still hold, counted in each worker's memory: never a 500.
            statuses = [login_status(server, "quentin", "wrong password") for _ in range(12)]
            assert set(statuses) <= {422, 429} and 429 in statuses
        finally:
            server.kill(signal.SIGTERM)
    finally:
        if redis.poll() is None:
            redis.kill()
            redis.wait(timeout=10)
