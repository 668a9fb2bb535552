"""Browser fixtures: Debian's Chromium through Playwright, against a real forum server.

One server process per run serves a fresh SQLite database and search index, seeded once
(tests/browser/seed.py). Each test opens its own browser contexts; any console error,
uncaught page error or dialog in them fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Playwright,
    WebError,
    expect,
    sync_playwright,
)

from tests.browser.seed import PASSWORD, SeedData, read_payloads, seed
from tests.browser.server import (
    CHROMIUM,
    LAUNCH_ARGS,
    LiveServer,
    migrate,
    server_environment,
    start_server,
)

IN_CI = os.environ.get("CI") == "true"
TIMEOUT_MS = 10_000
# Computed font-size of <html> at each text-size step (16 px times the CSS percentage).
TEXT_SIZE_PX = {"1": "14px", "2": "16px", "3": "19px", "4": "22px"}

STATUS_ERROR_PREFIX = "Failed to load resource: the server responded with a status of 4"

ContextFactory = Callable[..., BrowserContext]


@dataclass
class Forum:
    """The running forum: its URL, its server (for the log) and what was seeded."""

    url: str
    server: LiveServer
    data: SeedData


def unavailable(reason: str) -> None:
    """Skip locally, but fail in CI, where the browser suite must always run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests may not skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        unavailable(f"Chromium is missing at {CHROMIUM}: run `apt-get install -y chromium`")
    with sync_playwright() as runner:
        yield runner


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def forum(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forum]:
    """Migrate and seed a fresh database, then serve it from a separate process."""
    workdir = tmp_path_factory.mktemp("browser-forum")
    env = server_environment(workdir)
    migrate(env)
    data = seed(env["FORUM_DATABASE_URL"], env["FORUM_SEARCH_DIR"], read_payloads())
    server = start_server(workdir, env)
    try:
        yield Forum(server.url, server, data)
    finally:
        server.stop()


class PageProblems:
    """Console errors, uncaught exceptions and dialogs seen in some browser contexts."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._console)
        context.on("weberror", self._error)
        context.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        where = message.page.url if message.page else "?"
        # Chromium asks for /favicon.ico on its own; the forum has none yet (not a page error).
        if source.endswith("/favicon.ico"):
            return
        # A page answered with a deliberate 4xx (a form with errors is a 422): the tests
        # check its content. A failing stylesheet, script or image still counts.
        if source == where and message.text.startswith(STATUS_ERROR_PREFIX):
            return
        self.found.append(f"console error on {where} ({source}): {message.text}")

    def _error(self, error: WebError) -> None:
        where = error.page.url if error.page else "?"
        self.found.append(f"uncaught error on {where}: {error.error}")

    def _dialog(self, dialog: Dialog) -> None:
        where = dialog.page.url if dialog.page else "?"
        self.found.append(f"{dialog.type} dialog on {where}: {dialog.message!r}")
        dialog.dismiss()


@pytest.fixture
def new_context(browser: Browser, forum: Forum) -> Iterator[ContextFactory]:
    """Open browser contexts (cookie jars) on the forum; closes them and checks for problems."""
    contexts: list[BrowserContext] = []
    problems = PageProblems()

    def make(**options: Any) -> BrowserContext:
        options.setdefault("base_url", forum.url)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        problems.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not problems.found, "\n".join(problems.found)


@pytest.fixture
def page(new_context: ContextFactory) -> Page:
    return new_context().new_page()


def log_in(page: Page, name: str, password: str = PASSWORD) -> None:
    """Log in through the login form and wait for the account menu to show the name."""
    page.goto("/account/login")
    page.get_by_label("Public name or e-mail").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(account_nav(page).get_by_role("link", name=name, exact=True)).to_be_visible()


def account_nav(page: Page) -> Any:
    return page.get_by_role("navigation", name="Account")
