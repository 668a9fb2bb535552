"""One background thread per process and job, woken after commits (the embedded setup).

The mail outbox and the search outbox each drain this way when no worker process does it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask

# The job runs in an app context and returns how long to sleep at most before it runs again
# unwoken (None: until the next wake).
Job = Callable[[], float | None]


class Worker:
    """Runs its job in its own daemon thread, started on the first wake."""

    def __init__(self, app: Flask, name: str, job: Job) -> None:
        self.app = app
        self.name = name
        self.job = job
        self.wanted = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.stopping = False

    def wake(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name=self.name, daemon=True)
                self.thread.start()
        self.wanted.set()

    def stop(self) -> None:
        self.stopping = True
        self.wanted.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def run(self) -> None:
        timeout: float | None = None
        while True:
            self.wanted.wait(timeout=timeout)
            self.wanted.clear()
            if self.stopping:
                return
            with self.app.app_context():
                timeout = self.job()


def worker(app: Flask, name: str, job: Job) -> Worker:
    """The app's worker of that name, made on first use."""
    found: Worker | None = app.extensions.get(f"forum_worker_{name}")
    if found is None:
        found = app.extensions.setdefault(f"forum_worker_{name}", Worker(app, name, job))
    return found


def stop_worker(app: Flask, name: str) -> None:
    """Stop the app's worker of that name, if it runs (tests, shutdown)."""
    found: Worker | None = app.extensions.pop(f"forum_worker_{name}", None)
    if found is not None:
        found.stop()
