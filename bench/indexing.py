"""Indexing a new reply, in-process: what the outbox write costs the request, and how soon
the reply is searchable with the background drain thread of the embedded setup.

Both post real replies through the Flask test client, as a logged-in member with the reply
form's CSRF token, to the threads the load run replies to.
"""

from __future__ import annotations

import secrets
import statistics
import string
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_login import AnonymousUserMixin
from sqlalchemy import event
from sqlalchemy.orm import Session

from bench.load import TOKEN
from bench.search_latency import percentile
from bench.settings import make_app
from forum.extensions import db
from forum.search import engine, outbox, services
from forum.search.documents import DOC_TYPES
from forum.search.forms import read_params

WARM_UP = 20
REPLIES = 200
SEARCHABLE_REPLIES = 50
POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 10.0
BODY = "keeping a diary of my blood sugar readings helped me notice patterns."


class ListenerTimer:
    """Seconds spent in the wrapped listeners; a call made inside another counts once."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0

    def wrap(self, listener: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            if self._depth:
                return listener(*args)
            self._depth += 1
            started = time.perf_counter()
            try:
                return listener(*args)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1
                self._depth -= 1

        return timed


@contextmanager
def timed_outbox_listeners() -> Iterator[ListenerTimer]:
    """Swap the outbox's flush listener for a timed one, then put it back.

    They are registered on Session by function object, so patching the module's names
    would not reach them: the registrations themselves are replaced.
    """
    timer = ListenerTimer()
    listeners: list[tuple[str, Callable[..., Any]]] = [("after_flush", outbox.queue_flush)]
    swaps = [(name, listener, timer.wrap(listener)) for name, listener in listeners]
    for name, listener, _timed in swaps:
        if not event.contains(Session, name, listener):
            raise RuntimeError(f"the outbox's {name} listener is not installed")
    try:
        for name, listener, timed in swaps:
            event.remove(Session, name, listener)
            event.listen(Session, name, timed)
        yield timer
    finally:
        for name, listener, timed in swaps:
            if event.contains(Session, name, timed):
                event.remove(Session, name, timed)
            if not event.contains(Session, name, listener):
                event.listen(Session, name, listener)


def log_in(client: FlaskClient, name: str, password: str, thread_path: str) -> str:
    """Log a member in through the login form; returns the CSRF token of the reply form."""
    page = client.get("/account/login").get_data(as_text=True)
    token = TOKEN.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    form = {"login": name, "password": password, "csrf_token": token[1]}
    if client.post("/account/login", data=form).status_code != 302:
        raise RuntimeError(f"{name} could not log in")
    page = client.get(thread_path).get_data(as_text=True)
    token = TOKEN.search(page)
    if token is None or "/account/logout" not in page:
        raise RuntimeError(f"{name} could not log in")
    return token[1]


def post_reply(client: FlaskClient, token: str, thread_id: int, body: str) -> float:
    """One reply through the reply form's route; returns the request's seconds."""
    started = time.perf_counter()
    response = client.post(
        f"/threads/{thread_id}/replies", data={"csrf_token": token, "body": body}
    )
    seconds = time.perf_counter() - started
    if response.status_code != 302:
        raise RuntimeError(f"reply to thread {thread_id} answered {response.status_code}")
    return seconds


def _member(app: Flask, manifest: dict[str, Any]) -> tuple[FlaskClient, str]:
    client = app.test_client()
    path = f"/threads/{manifest['reply_thread_ids'][0]}"
    return client, log_in(client, manifest["posters"][0], manifest["password"], path)


def _close(app: Flask) -> None:
    outbox.stop_drainer(app)
    with app.app_context():
        close = getattr(engine.backend(), "close", None)
        if close is not None:
            close()
        db.engine.dispose()


def _outbox_rows(app: Flask) -> int:
    with app.app_context():
        return outbox.pending_count()


def _ms(samples: Sequence[float], share: float) -> float:
    return round(percentile(samples, share) * 1000, 3)


def outbox_write(
    folder: Path, manifest: dict[str, Any], secret: str,
    replies: int = REPLIES, warm_up: int = WARM_UP,
) -> dict[str, Any]:  # fmt: skip
    """Per reply request: the seconds in the outbox listeners, and the whole request.

    The drain is off, so the request pays only for the outbox rows, not the index; the
    rows left are applied afterwards, untimed, so the data set stays fully indexed.
    """
    app = make_app(folder, secret, SEARCH_DRAIN="off")
    ids, nonce = manifest["reply_thread_ids"], secrets.token_hex(4)
    writes: list[float] = []
    requests: list[float] = []
    try:
        client, token = _member(app, manifest)
        rows_before = _outbox_rows(app)
        with timed_outbox_listeners() as timer:
            for number in range(warm_up + replies):
                timer.reset()
                body = f"Indexing benchmark reply {nonce}-{number}: {BODY}"
                seconds = post_reply(client, token, ids[number % len(ids)], body)
                if timer.calls == 0:
                    raise RuntimeError("the timed outbox listeners were not called")
                if number >= warm_up:
                    writes.append(timer.seconds)
                    requests.append(seconds)
        rows = _outbox_rows(app) - rows_before
        with app.app_context():
            outbox.drain_all()
    finally:
        _close(app)
    return {
        "replies": len(writes), "warm_up": warm_up, "outbox_rows": rows,
        "write_p50_ms": _ms(writes, 0.5), "write_p95_ms": _ms(writes, 0.95),
        "write_max_ms": _ms(writes, 1.0),
        "request_p50_ms": _ms(requests, 0.5), "request_p95_ms": _ms(requests, 0.95),
        "request_max_ms": _ms(requests, 1.0),
    }  # fmt: skip


def unique_word() -> str:
    """A made-up word of letters only, so the analyzer keeps it whole."""
    return "zq" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def is_found(app: Flask, word: str, thread_id: int) -> bool:
    """Whether a visitor's search for the word lists the thread (the search page's call)."""
    with app.app_context():
        params = read_params({"q": word}, DOC_TYPES)
        results = services.search_threads(AnonymousUserMixin(), params)
        return any(item.thread is not None and item.thread.id == thread_id
                   for item in results.items)  # fmt: skip


def time_until_found(
    app: Flask, word: str, thread_id: int, since: float
) -> tuple[float | None, list[float]]:
    """Seconds from `since` until a search has found the thread (None after the timeout),
    and the seconds of each search."""
    searches: list[float] = []
    for _ in range(round(TIMEOUT_SECONDS / POLL_SECONDS) + 1):
        started = time.perf_counter()
        found = is_found(app, word, thread_id)
        now = time.perf_counter()
        searches.append(now - started)
        if found:
            return now - since, searches
        if now - since >= TIMEOUT_SECONDS:
            break
        time.sleep(POLL_SECONDS)
    return None, searches


def searchable_delay(
    folder: Path, manifest: dict[str, Any], secret: str, replies: int = SEARCHABLE_REPLIES
) -> dict[str, Any]:
    """From a reply request's return until a visitor's search finds its word.

    The app's own drain mode ("auto": the background drain thread, as in `make run` and in
    each gunicorn worker). The searches run in this process, every POLL_SECONDS, as a
    visitor's request would run in a thread of `make run`'s server.
    """
    app = make_app(folder, secret)
    delays: list[float] = []
    searches: list[float] = []
    try:
        with app.app_context():
            outbox.drain_all()  # nothing left from earlier steps delays the first reply
        client, token = _member(app, manifest)
        ids = manifest["reply_thread_ids"]
        for number in range(replies):
            word, thread_id = unique_word(), ids[number % len(ids)]
            post_reply(client, token, thread_id, f"Reply with the word {word}: {BODY}")
            found, timed = time_until_found(app, word, thread_id, time.perf_counter())
            searches += timed
            if found is not None:
                delays.append(found)
    finally:
        _close(app)
    return {
        "replies": replies, "found": len(delays), "drain_mode": outbox.drain_mode(app),
        "poll_ms": POLL_SECONDS * 1000, "timeout_s": TIMEOUT_SECONDS,
        "searches": len(searches),
        "search_mean_ms": round(statistics.fmean(searches or [0.0]) * 1000, 3),
        "min_ms": round(min(delays, default=0.0) * 1000, 3),
        "p50_ms": _ms(delays, 0.5), "p95_ms": _ms(delays, 0.95), "max_ms": _ms(delays, 1.0),
    }  # fmt: skip


def indexing_figures(
    folder: Path, manifest: dict[str, Any], secret: str,
    replies: int = REPLIES, warm_up: int = WARM_UP, searchable: int = SEARCHABLE_REPLIES,
) -> dict[str, Any]:  # fmt: skip
    return {
        "outbox": outbox_write(folder, manifest, secret, replies, warm_up),
        "searchable": searchable_delay(folder, manifest, secret, searchable),
    }
