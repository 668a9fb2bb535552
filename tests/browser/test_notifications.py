"""Notifications in a real browser: the header count without JavaScript, the page, settings."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory, account_nav, log_in
from tests.browser.seed import ASKER, READER
from tests.browser.test_accessibility import AXE_OPTIONS, describe, is_blocking

pytestmark = pytest.mark.browser


def count_of(page: Page) -> Any:
    return account_nav(page).locator("[data-notification-count]")


def test_the_asker_sees_the_count_without_javascript_and_opens_the_reply(
    new_context: ContextFactory,
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, ASKER)
    page.goto("/")
    expect(count_of(page)).not_to_have_text("0")
    account_nav(page).get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    entry = page.get_by_role("link", name="New reply to your question").first
    expect(entry).to_be_visible()
    entry.click()
    assert "/threads/" in page.url and "#post-" in page.url
    page.goto("/notifications/")
    page.get_by_role("button", name="Mark all read").click()
    expect(count_of(page)).to_have_text("0")


def test_a_member_changes_notification_settings(page: Page) -> None:
    log_in(page, READER)
    page.goto("/notifications/settings")
    group = page.get_by_role("group", name="Someone mentions you")
    group.get_by_label("Weekly digest").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("notification settings are saved")
    expect(
        page.get_by_role("group", name="Someone mentions you").get_by_label("Weekly digest")
    ).to_be_checked()


@pytest.mark.parametrize(
    "path", ["/notifications/", "/notifications/settings", "/notifications/newsletter"]
)
def test_the_notification_pages_have_no_serious_accessibility_violations(
    page: Page, path: str
) -> None:
    log_in(page, ASKER)
    page.goto(path)
    results = Axe().run(page, options=AXE_OPTIONS).response
    blocking = [v for v in results["violations"] if is_blocking(v)]
    assert not blocking, "\n".join(describe(v) for v in blocking)
