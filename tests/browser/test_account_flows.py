"""Accounts in a real browser: registering, logging in and out, resetting a password."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Forum, account_nav, log_in
from tests.browser.seed import RESETTER

pytestmark = pytest.mark.browser


def test_a_visitor_registers_logs_out_and_logs_in_again(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Public name").fill("new_nadia")
    page.get_by_label("E-mail").fill("nadia@example.org")
    page.get_by_label("Password", exact=True).fill("tea in the garden at noon")
    page.get_by_label("Repeat the password").fill("tea in the garden at noon")
    page.get_by_label("I agree that the forum stores").check()
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("status")).to_contain_text("Welcome, new_nadia!")
    expect(account_nav(page).get_by_role("link", name="new_nadia")).to_be_visible()

    account_nav(page).get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged out")
    expect(account_nav(page).get_by_role("link", name="Log in")).to_be_visible()

    log_in(page, "new_nadia", "tea in the garden at noon")
    page.goto("/account/settings")
    expect(page.get_by_text("nadia@example.org")).to_be_visible()


def test_a_wrong_password_is_refused_with_a_message(page: Page) -> None:
    page.goto("/account/login")
    page.get_by_label("Public name or e-mail").fill(RESETTER)
    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(account_nav(page).get_by_role("link", name="Log in")).to_be_visible()


def test_a_member_resets_a_forgotten_password_with_the_link_from_the_mail(
    page: Page, forum: Forum
) -> None:
    mails_before = len(forum.server.reset_links())
    page.goto("/account/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Public name or e-mail").fill(RESETTER)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account matches")

    link = forum.server.wait_for_reset_link(mails_before)
    assert link.startswith(forum.url), link
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("rain on the roof tonight")
    page.get_by_label("Repeat the new password").fill("rain on the roof tonight")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")

    log_in(page, RESETTER, "rain on the roof tonight")
    page.goto(link)
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
