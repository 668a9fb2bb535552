"""Safety in a real browser: crisis wording shows help, and reports reach the moderators."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ContextFactory, Forum, log_in
from tests.browser.seed import (
    MISINFORMER,
    MODERATOR,
    REPORTER,
    TO_REPORT_REPLY,
    TO_REPORT_TITLE,
    WORRIED,
)

pytestmark = pytest.mark.browser

CRISIS_PANEL = "You don't have to go through this alone"
CRISIS_TITLE = "I can't sleep and I am scared of the next scan"
CRISIS_PHRASE = "no reason to live"
REPORT_NOTE = "Telling people to stop their tablets is dangerous."
HIDE_REASON = "Medical misinformation: do not stop medicines without a doctor"


def crisis_panel(page: Page) -> Locator:
    return page.get_by_role("region", name=CRISIS_PANEL)


def test_crisis_wording_shows_the_help_panel_while_typing_and_after_posting(
    new_context: ContextFactory,
) -> None:
    member = new_context().new_page()
    log_in(member, WORRIED)
    member.goto("/threads/new")
    member.get_by_label("Community").select_option(label="Heart talk")
    member.get_by_label("Title").fill(CRISIS_TITLE)
    details = member.get_by_label("Details")
    details.fill("The waiting is the worst part. Some days I feel there is ")
    expect(crisis_panel(member)).to_be_hidden()
    details.press_sequentially(CRISIS_PHRASE)
    panel = crisis_panel(member)
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Call or text 988")).to_be_visible()
    expect(panel).to_contain_text("Your post will still be published.")

    member.get_by_role("button", name="Post", exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(CRISIS_TITLE)
    expect(member.get_by_role("status")).to_contain_text("If you are in danger, please reach out")
    expect(member.locator(".post.opening")).to_contain_text(CRISIS_PHRASE)
    expect(crisis_panel(member)).to_have_count(1)
    expect(crisis_panel(member)).to_be_visible()
    thread_url = member.url

    # Rendered by the server, so a reader without JavaScript sees it too.
    reader = new_context(java_script_enabled=False).new_page()
    reader.goto(thread_url)
    expect(crisis_panel(reader)).to_be_visible()
    expect(
        crisis_panel(reader).get_by_role("link", name="Find a helpline in your country")
    ).to_be_visible()


def test_a_reported_reply_reaches_the_moderator_queue_and_hiding_removes_it(
    new_context: ContextFactory, forum: Forum
) -> None:
    thread_path = f"/threads/{forum.data.to_report_thread_id}"
    reporter = new_context().new_page()
    log_in(reporter, REPORTER)
    reporter.goto(thread_path)
    reply = reporter.locator("article.post:not(.opening)", has_text=TO_REPORT_REPLY)
    reply.get_by_role("link", name="Report").click()
    expect(reporter.get_by_role("heading", level=1)).to_have_text("Report a post")
    reporter.get_by_label("Why are you reporting this?").select_option(
        label="Medical misinformation"
    )
    reporter.get_by_label("Anything the moderators should know (optional)").fill(REPORT_NOTE)
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.get_by_role("status")).to_contain_text("Thank you. The moderators will look")
    expect(reporter.get_by_role("heading", level=1)).to_have_text(TO_REPORT_TITLE)

    moderator = new_context().new_page()
    log_in(moderator, MODERATOR)
    moderator.goto("/moderation")
    reports = moderator.get_by_role("region", name="Reported posts")
    item = reports.locator(".queue-item", has_text=TO_REPORT_REPLY)
    expect(item.get_by_role("link", name=TO_REPORT_TITLE)).to_be_visible()
    expect(item).to_contain_text(f"Reply by {MISINFORMER}")
    expect(item).to_contain_text(f"Medical misinformation — {REPORTER}")
    expect(item).to_contain_text(f"“{REPORT_NOTE}”")
    item.get_by_label("Reason to hide").fill(HIDE_REASON)
    item.get_by_role("button", name="Hide", exact=True).click()
    expect(moderator.get_by_role("status")).to_contain_text("Done: hide.")
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    expect(reports.get_by_text(TO_REPORT_REPLY)).to_have_count(0)

    for page in (reporter, new_context().new_page()):
        page.goto(thread_path)
        expect(page.get_by_role("heading", level=1)).to_have_text(TO_REPORT_TITLE)
        expect(page.get_by_text(TO_REPORT_REPLY)).to_have_count(0)
        expect(page.get_by_role("heading", name="0 replies")).to_be_visible()

    author = new_context().new_page()
    log_in(author, MISINFORMER)
    author.goto(thread_path)
    reply = author.locator("article.post:not(.opening)", has_text=TO_REPORT_REPLY)
    expect(reply).to_contain_text(f"This post is hidden by the moderators: {HIDE_REASON}")
