"""The phone header: a short header whose navigation folds behind a menu button that works
without JavaScript; at desktop width everything shows and the button does not."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory, Forum, account_nav, log_in
from tests.browser.seed import PUBLIC, READER

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MAX_HEADER_PX = 120


def header_height(page: Page) -> float:
    height: float = page.evaluate(
        "document.querySelector('.site-header').getBoundingClientRect().height"
    )
    return height


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
def test_the_phone_header_stays_short_and_its_menu_opens_without_javascript(
    new_context: ContextFactory, forum: Forum, member: bool
) -> None:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page = context.new_page()
    if member:
        log_in(page, READER)
    page.goto("/")
    assert header_height(page) < MAX_HEADER_PX
    menu = page.locator(".site-menu-button")
    expect(menu).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("search")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    menu.click()
    drugs = page.get_by_role("navigation", name="Main").get_by_role("link", name="Health centers")
    expect(drugs).to_be_visible()
    expect(page.get_by_role("form", name="Text size")).to_be_visible()
    if member:
        expect(account_nav(page).get_by_role("button", name="Log out")).to_be_visible()
    drugs.click()
    expect(page).to_have_url(f"{forum.url}/topics")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()  # closed again


def test_the_menu_button_is_a_keyboard_disclosure(new_context: ContextFactory) -> None:
    page = new_context(viewport=PHONE, is_mobile=True).new_page()
    page.goto("/")
    menu = page.locator(".site-menu-button")
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".site-menu")).to_have_attribute("open", "")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Search")
    ).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()


def test_at_desktop_width_the_navigation_shows_and_the_menu_button_does_not(
    new_context: ContextFactory,
) -> None:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/")
    expect(page.locator(".site-menu-button")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Health centers")).to_be_visible()
    expect(page.get_by_role("button", name="Text size 2 of 4")).to_be_visible()


def test_reading_text_keeps_near_70_characters_a_line_at_1280_px(
    new_context: ContextFactory, forum: Forum
) -> None:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"/threads/{forum.data.question_id}")
    body = page.locator(".post-body").first
    # Characters of the body's own font that fit in one line of it (average English letters
    # are about the width of "n").
    per_line = body.evaluate(
        """(el) => {
          const probe = document.createElement("span");
          probe.textContent = "n".repeat(10);
          el.appendChild(probe);
          const width = probe.getBoundingClientRect().width / 10;
          probe.remove();
          return el.getBoundingClientRect().width / width;
        }"""
    )
    assert 55 <= per_line <= 80


def test_the_footer_reaches_the_bottom_of_a_short_page(new_context: ContextFactory) -> None:
    page = new_context(viewport={"width": 1280, "height": 1600}).new_page()
    page.goto("/account/password-reset")
    gap = page.evaluate(
        "window.innerHeight - document.querySelector('.site-footer').getBoundingClientRect().bottom"
    )
    assert abs(gap) < 1


def test_community_tabs_stay_on_one_line_on_a_phone(new_context: ContextFactory) -> None:
    page = new_context(viewport={"width": 320, "height": 700}, is_mobile=True).new_page()
    page.goto(f"/c/{PUBLIC}")
    tops = page.locator(".tabs li").evaluate_all(
        "(items) => items.map((item) => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(tops) > 1 and len(set(tops)) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
