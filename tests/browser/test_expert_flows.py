"""Experts in a real browser: a verified expert endorses a reply inside their topic."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ContextFactory, Forum, log_in
from tests.browser.seed import (
    EXPERT,
    EXPERT_CREDENTIALS,
    EXPERT_SPECIALTY,
    PUBLIC,
    TO_ENDORSE_REPLY,
    TO_ENDORSE_TITLE,
)

pytestmark = pytest.mark.browser

NOTE = "Right: measure at the upper arm, seated, with the arm at heart level."
EVIDENCE = "Guideline or systematic review"


def test_an_expert_endorses_a_reply_and_the_badge_shows_in_the_thread_and_the_community_list(
    new_context: ContextFactory, forum: Forum
) -> None:
    expert = new_context().new_page()
    log_in(expert, EXPERT)
    expert.goto(f"/threads/{forum.data.to_endorse_thread_id}")
    reply = expert.locator("article.post:not(.opening)", has_text=TO_ENDORSE_REPLY)
    expect(reply.get_by_role("region", name="Expert endorsements")).to_have_count(0)
    expect(expert.locator(".page-head .badge", has_text="Expert-endorsed")).to_have_count(0)

    reply.get_by_text("Endorse as an expert").click()
    reply.get_by_label("Level of evidence").select_option(label=EVIDENCE)
    reply.get_by_label("Short note (optional)").fill(NOTE)
    reply.get_by_role("button", name="Endorse this reply").click()
    expect(expert.get_by_role("status")).to_contain_text("Your endorsement is shown on the reply.")

    endorsements = reply.get_by_role("region", name="Expert endorsements")
    expect(endorsements.locator(".badge", has_text="Expert-endorsed")).to_be_visible()
    expect(endorsements.get_by_role("link", name=EXPERT)).to_be_visible()
    expect(endorsements).to_contain_text(f"{EXPERT_CREDENTIALS} ({EXPERT_SPECIALTY})")
    expect(endorsements).to_contain_text(f"Level of evidence: {EVIDENCE}")
    expect(endorsements).to_contain_text(f"“{NOTE}”")
    expect(expert.locator(".page-head .badge", has_text="Expert-endorsed")).to_be_visible()
    expect(reply.get_by_text("Update or re-confirm your endorsement")).to_be_visible()

    visitor = new_context().new_page()
    visitor.goto(f"/threads/{forum.data.to_endorse_thread_id}")
    reply = visitor.locator("article.post:not(.opening)", has_text=TO_ENDORSE_REPLY)
    expect(reply.get_by_role("region", name="Expert endorsements")).to_contain_text(
        f"Level of evidence: {EVIDENCE}"
    )
    expect(reply.get_by_text("Endorse as an expert")).to_have_count(0)
    visitor.goto(f"/c/{PUBLIC}")
    item = visitor.locator(".thread-item", has_text=TO_ENDORSE_TITLE)
    expect(item.locator(".badge", has_text="Expert-endorsed")).to_be_visible()
    visitor.goto(f"/c/{PUBLIC}?sort=expert")
    expect(visitor.locator(".thread-item", has_text=TO_ENDORSE_TITLE)).to_be_visible()
