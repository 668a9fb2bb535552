"""Time a password-reset request for a known and an unknown account over real HTTP.

`python -m bench.password_reset [--requests 40]` serves the forum in a process of its own (the
threaded development server, temporary SQLite, mail sent in the commit that queues it:
MAIL_DRAIN=sync, the slowest setting) and prints the median and 90th percentile client time of
each kind. A flat timing shows nothing about whether an account exists.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import socket
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.serving import make_server

from forum import create_app
from forum.auth import services
from forum.extensions import db


def time_requests(port: int, login: str, count: int) -> list[float]:
    """Client milliseconds from sending the form until the whole answer is read."""
    body = urlencode({"login": login})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    timings = []
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        connection.request("POST", "/account/password-reset", body, headers)
        answer = connection.getresponse()
        answer.read()
        timings.append((time.perf_counter() - started) * 1000)
        connection.close()
        assert answer.status == 302, answer.status
    return timings


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"median {statistics.median(ordered):6.2f} ms, p90 {p90:6.2f} ms"


def serve(folder: str, port: int) -> None:
    """The forum with one known account, served until the process is ended."""
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'forum.db'}",
            "SEARCH_DIR": str(Path(folder) / "index"),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "MAIL_DRAIN": "sync",
        }
    )
    with app.app_context():
        db.create_all()
        services.register_user("known_member", "known@example.org", "a long enough passphrase")
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the forum did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=40)
    count = parser.parse_args().requests
    # The client runs in this process and the server in another, as in real use: one
    # interpreter's lock would otherwise make the client wait for the server's late work.
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = multiprocessing.get_context("spawn").Process(
            target=serve, args=(folder, port), daemon=True
        )
        server.start()
        try:
            wait_for(port)
            time_requests(port, "warm_up", 5)
            known: list[float] = []
            unknown: list[float] = []
            for _ in range(count):  # interleaved, so drift affects both kinds alike
                known += time_requests(port, "known_member", 1)
                unknown += time_requests(port, "nobody_by_that_name", 1)
        finally:
            server.terminate()
            server.join(timeout=10)
    print(f"known account:   {summary(known)}")
    print(f"unknown account: {summary(unknown)}")
    print(f"ratio of medians: {statistics.median(known) / statistics.median(unknown):.2f}")


if __name__ == "__main__":
    main()
