"""Communities in a real browser: joining a public one, asking into a private group."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ContextFactory, log_in
from tests.browser.seed import JOINER, MODERATOR, PRIVATE, PUBLIC

pytestmark = pytest.mark.browser


def test_a_member_joins_a_public_community_and_a_moderator_approves_a_private_group_request(
    new_context: ContextFactory,
) -> None:
    member = new_context().new_page()
    log_in(member, JOINER)
    member.goto(f"/c/{PUBLIC}")
    member.get_by_role("button", name="Join", exact=True).click()
    expect(member.get_by_role("status")).to_contain_text("Welcome to Heart talk!")
    expect(member.get_by_role("button", name="Leave")).to_be_visible()

    member.goto(f"/c/{PRIVATE}")
    expect(member.get_by_text("Only its members can read its posts")).to_be_visible()
    member.get_by_label("Message to the moderators (optional)").fill(
        "I was diagnosed last spring and would like to talk to others."
    )
    member.get_by_role("button", name="Request to join").click()
    expect(member.get_by_role("status")).to_contain_text("Your request was sent")
    expect(member.get_by_text("Your request to join is waiting for a moderator.")).to_be_visible()

    moderator = new_context().new_page()
    log_in(moderator, MODERATOR)
    moderator.goto(f"/c/{PRIVATE}/members")
    request = moderator.locator("li.request", has_text=JOINER)
    expect(request).to_contain_text("I was diagnosed last spring")
    request.get_by_label(f"Message to {JOINER} with the approve").fill("Welcome, glad you came.")
    request.get_by_role("button", name="Approve").click()
    expect(moderator.get_by_role("status")).to_contain_text(f"Request from {JOINER} approved.")
    expect(moderator.locator(".member-list")).to_contain_text(JOINER)

    member.reload()
    expect(member.get_by_text("Only its members can read its posts")).to_have_count(0)
    expect(member.get_by_text("The moderators wrote: “Welcome, glad you came.”")).to_be_visible()
    expect(member.get_by_role("button", name="Leave")).to_be_visible()


def test_dates_read_relatively_with_the_exact_time_on_hover(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    page.goto(f"/c/{PUBLIC}")
    recent = page.locator("li.thread-item time").first
    expect(recent).to_have_text(re.compile(r"^(just now|\d+ (minute|hour|day)s? ago)$"))
    expect(recent).to_have_attribute("title", re.compile(r"^\d\d \w{3} \d{4}, \d\d:\d\d UTC$"))
    recent.hover()  # the title is what a pointer shows: the exact minute
    thread = page.locator("li.thread-item h3 a").first
    thread.click()
    posted = page.locator(".post .meta time").first
    expect(posted).to_have_text(re.compile(r"ago$|^just now$"))
    expect(posted).to_have_attribute("title", re.compile(r"UTC$"))
