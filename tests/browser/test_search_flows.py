"""Search in a real browser: a question posted through the forms is found by the search box."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory, log_in
from tests.browser.seed import SEEKER

pytestmark = pytest.mark.browser

# A word no seeded post contains, so only the new question can match it.
UNIQUE_WORD = "hibiscrumble"
TITLE = f"Does {UNIQUE_WORD} tea help with high blood pressure?"
# The server indexes after the commit, in a background thread: allow it a moment.
INDEX_SECONDS = 10.0


def search_until_found(page: Page, title: str, timeout: float = INDEX_SECONDS) -> None:
    """Reload the results until the question shows, for at most `timeout` seconds."""
    hit = page.locator(".search-hits").get_by_role("link", name=title)
    deadline = time.monotonic() + timeout
    while hit.count() == 0 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        page.reload()
    expect(hit).to_be_visible()


def test_a_new_question_is_found_by_the_search_box(new_context: ContextFactory) -> None:
    seeker = new_context().new_page()
    log_in(seeker, SEEKER)
    seeker.get_by_role("navigation", name="Main").get_by_role("link", name="Ask a question").click()
    seeker.get_by_label("Community").select_option(label="Heart talk")
    seeker.get_by_label("Title").fill(TITLE)
    seeker.get_by_label("Details").fill(
        f"My aunt drinks {UNIQUE_WORD} tea every morning and says her readings dropped."
    )
    seeker.get_by_role("button", name="Post", exact=True).click()
    expect(seeker.get_by_role("heading", level=1)).to_have_text(TITLE)

    visitor = new_context().new_page()
    visitor.goto("/")
    header_search = visitor.get_by_role("banner").get_by_role("search")
    header_search.get_by_label("Search the forum").fill(UNIQUE_WORD)
    header_search.get_by_role("button", name="Search").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Search questions and answers")
    expect(visitor.get_by_label("Search for")).to_have_value(UNIQUE_WORD)
    search_until_found(visitor, TITLE)
    results = visitor.get_by_role("region", name="1 result")
    expect(results).to_be_visible()
    hit = results.locator(".thread-item", has_text=TITLE)
    expect(hit).to_contain_text("in Heart talk")
    expect(hit.locator(".snippet")).to_contain_text(UNIQUE_WORD)

    hit.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
