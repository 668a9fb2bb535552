"""The composer in a real browser: preview, a draft kept while typing, similar questions.

Nothing here posts: the seeded forum is shared by the whole browser suite.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ContextFactory, log_in
from tests.browser.seed import ASKER, ENDORSED_TITLE

pytestmark = pytest.mark.browser

TITLE = "Does a short walk after dinner help?"
DRAFT_COUNT = "Object.keys(localStorage).filter((k) => k.startsWith('forum-draft:')).length"


def test_the_preview_works_without_javascript(new_context: ContextFactory) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, ASKER)
    page.goto("/threads/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("It **really** helps <script>alert(1)</script>")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.preview")
    expect(preview.locator(".post-body strong")).to_have_text("really")
    expect(preview).to_contain_text("<script>alert(1)</script>")
    expect(preview.locator("script")).to_have_count(0)
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("Details")).to_have_value(
        "It **really** helps <script>alert(1)</script>"
    )


def test_a_draft_is_restored_after_a_reload(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    log_in(page, ASKER)
    page.goto("/threads/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("Ten minutes, most evenings.")
    page.reload()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("Details")).to_have_value("Ten minutes, most evenings.")


def test_similar_questions_show_while_typing_the_title(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    log_in(page, ASKER)
    page.goto("/threads/new")
    similar = page.locator("[data-similar-list]")
    expect(similar).to_have_attribute("aria-live", "polite")
    page.get_by_label("Title").press_sequentially("measure blood")
    expect(similar.get_by_role("link")).to_have_count(0)
    page.get_by_label("Title").press_sequentially(" pressure")
    expect(similar.get_by_role("link", name=ENDORSED_TITLE)).to_be_visible()
    expect(similar.get_by_role("link")).not_to_have_count(0)
    assert similar.get_by_role("link").count() <= 5


def test_posting_ends_the_draft_but_a_preview_keeps_it(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    log_in(page, ASKER)
    page.goto("/threads/new")
    page.get_by_label("Title").fill("Hm")
    page.get_by_label("Details").fill("A draft that is not ready yet.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("section.preview")).to_contain_text("A draft that is not ready yet.")
    assert page.evaluate(DRAFT_COUNT) == 1
    # The short title is refused by the server, so nothing is posted to the shared forum.
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Write a title of")).to_be_visible()
    assert page.evaluate(DRAFT_COUNT) == 0
