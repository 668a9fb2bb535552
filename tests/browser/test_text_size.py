"""The text-size control: with script it switches at once, without it the form posts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import TEXT_SIZE_PX, ContextFactory

pytestmark = pytest.mark.browser


def choose_text_size(page: Page, step: str) -> None:
    page.get_by_role("form", name="Text size").get_by_role(
        "button", name=f"Text size {step} of 4"
    ).click()


def expect_text_size(page: Page, step: str) -> None:
    root = page.locator("html")
    expect(root).to_have_class(re.compile(rf"\btext-size-{step}\b"))
    # Polled: after a form post the new page's stylesheet may still be loading.
    expect(root).to_have_css("font-size", TEXT_SIZE_PX[step])
    pressed = page.get_by_role("button", name=f"Text size {step} of 4")
    expect(pressed).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_text_size_control_changes_the_text_size_and_it_survives_a_reload_and_a_new_page(
    new_context: ContextFactory, javascript: bool
) -> None:
    context = new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto("/communities")
    expect_text_size(page, "2")

    choose_text_size(page, "4")
    expect_text_size(page, "4")
    assert page.url.endswith("/communities"), "the form should come back to the same page"

    page.reload()
    expect_text_size(page, "4")
    page.goto("/")
    expect_text_size(page, "4")
    other_tab = context.new_page()
    other_tab.goto("/account/login")
    expect_text_size(other_tab, "4")

    choose_text_size(other_tab, "1")
    expect_text_size(other_tab, "1")
    page.reload()
    expect_text_size(page, "1")
