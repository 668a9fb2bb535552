"""With JavaScript switched off, reading, logging in, replying and voting still work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ContextFactory, Forum, log_in
from tests.browser.seed import NO_SCRIPT_READER

pytestmark = pytest.mark.browser


def test_a_member_without_javascript_logs_in_replies_and_votes_helpful(
    new_context: ContextFactory, forum: Forum
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, NO_SCRIPT_READER)
    page.goto(f"/threads/{forum.data.question_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("blood pressure down in winter")

    page.get_by_role("textbox", name="Your reply").fill("A warm scarf outside helped me, honestly.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("article.post", has_text="A warm scarf outside")).to_be_visible()

    earlier = page.locator(f"#post-{forum.data.reply_id}")
    expect(earlier.locator(".helpful-count")).to_have_text("0 found this helpful")
    earlier.get_by_role("button", name="Helpful").click()
    earlier = page.locator(f"#post-{forum.data.reply_id}")
    expect(earlier.locator(".helpful-count")).to_have_text("1 found this helpful")
    earlier.get_by_role("button", name="Helpful ✓ (undo)").click()
    expect(page.locator(f"#post-{forum.data.reply_id} .helpful-count")).to_have_text(
        "0 found this helpful"
    )
