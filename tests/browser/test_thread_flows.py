"""Questions in a real browser: asking, replying, voting helpful and accepting."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ContextFactory, log_in
from tests.browser.seed import ASKER, PUBLIC, REPLIER

pytestmark = pytest.mark.browser

TITLE = "Does beetroot juice really lower blood pressure?"


def test_a_member_asks_another_replies_the_asker_votes_helpful_and_accepts(
    new_context: ContextFactory,
) -> None:
    asker = new_context().new_page()
    log_in(asker, ASKER)
    asker.get_by_role("navigation", name="Main").get_by_role("link", name="Ask a question").click()
    asker.get_by_label("Community").select_option(label="Heart talk")
    asker.get_by_label("A question").check()
    asker.get_by_label("Title").fill(TITLE)
    asker.get_by_label("Details").fill(
        "A friend swears by a glass a day. Has anyone *measured* it?"
    )
    asker.get_by_label("Tags (optional)").fill("blood-pressure diet")
    asker.get_by_role("button", name="Post", exact=True).click()
    expect(asker.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(asker.locator(".post.opening em")).to_have_text("measured")
    thread_url = asker.url

    replier = new_context().new_page()
    log_in(replier, REPLIER)
    replier.goto(thread_url)
    replier.get_by_role("textbox", name="Your reply").fill(
        "I tried it for a month: about 5 points lower, but ask your GP."
    )
    replier.get_by_role("button", name="Post reply").click()
    reply = replier.locator("article.post:not(.opening)", has_text="about 5 points lower")
    expect(reply).to_be_visible()
    expect(reply.get_by_role("button", name="Helpful")).to_have_count(0)

    asker.reload()
    reply = asker.locator("article.post:not(.opening)", has_text="about 5 points lower")
    reply.get_by_role("button", name="Helpful").click()
    expect(reply.locator(".helpful-count")).to_have_text("1 found this helpful")
    expect(reply.get_by_role("button", name="Helpful ✓ (undo)")).to_have_attribute(
        "aria-pressed", "true"
    )
    reply.get_by_role("button", name="This helped me").click()
    expect(asker.get_by_role("status")).to_contain_text("Marked as the reply that helped you.")
    expect(reply).to_have_class(re.compile(r"\baccepted\b"))
    expect(reply.get_by_text("Helped the asker")).to_be_visible()
    expect(asker.locator(".page-head .badge", has_text="Answered")).to_be_visible()

    replier.goto(f"/c/{PUBLIC}")
    item = replier.locator(".thread-item", has_text=TITLE)
    expect(item.locator(".badge", has_text="Answered")).to_be_visible()
    expect(item).to_contain_text("1 reply")
