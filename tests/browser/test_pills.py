"""The pill identifier in a real browser, at desktop and phone width: searching as a new user
would, and no serious accessibility problem (axe-core, WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory, Forum
from tests.browser.test_accessibility import AXE_OPTIONS, describe, is_blocking

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
CAUTION = "Identification by appearance is not certain: ask a pharmacist."


def open_identifier(new_context: ContextFactory, width: str) -> Page:
    if width == "phone":
        context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    else:
        context = new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto("/drugs/")
    page.get_by_role("link", name="Pill identifier").click()
    expect(page.get_by_role("heading", level=1, name="Pill identifier")).to_be_visible()
    return page


def fits_the_screen(page: Page, width: str) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTHS[width]["width"], f"{page.url}: {scroll_width} px wide"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_pd_155_is_lipitor_10_mg_with_its_drawing(new_context: ContextFactory, width: str) -> None:
    page = open_identifier(new_context, width)
    page.get_by_label("Imprint").fill("pd 155")
    page.get_by_role("button", name="Identify the pill").click()
    results = page.get_by_role("region", name="1 pill found")
    expect(results).to_be_visible()
    expect(results.get_by_role("heading", name="Lipitor 10 mg")).to_be_visible()
    drawing = results.get_by_role(
        "img", name="Drawing of a white oval pill, 10 mm, imprint PD 155 10"
    )
    expect(drawing).to_be_visible()
    expect(results.get_by_text(CAUTION)).to_be_visible()
    fits_the_screen(page, width)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_vgr_50_in_blue_is_viagra_50_mg(new_context: ContextFactory, width: str) -> None:
    page = open_identifier(new_context, width)
    page.get_by_label("Imprint").fill("VGR 50")
    page.get_by_label("Color", exact=True).select_option(label="Blue")
    page.get_by_role("button", name="Identify the pill").click()
    results = page.get_by_role("region", name="1 pill found")
    expect(results.get_by_role("heading", name="Viagra 50 mg")).to_be_visible()
    expect(
        results.get_by_role(
            "img", name="Drawing of a blue diamond pill, 11 mm, imprint VGR50 Pfizer, not scored"
        )
    ).to_be_visible()
    results.get_by_role("link", name="Viagra 50 mg").click()
    expect(page.get_by_role("heading", level=1, name="Viagra 50 mg")).to_be_visible()
    expect(page.get_by_text("0069-4210-30")).to_be_visible()
    fits_the_screen(page, width)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_made_up_imprint_finds_nothing_and_points_to_help(
    new_context: ContextFactory, width: str
) -> None:
    page = open_identifier(new_context, width)
    page.get_by_label("Imprint").fill("ZQ 9731")
    page.get_by_role("button", name="Identify the pill").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("No pill in this identifier matches that description.")
    expect(status.get_by_role("link", name="1-800-222-1222")).to_have_attribute(
        "href", "tel:+18002221222"
    )
    expect(page.locator(".pill-card")).to_have_count(0)
    fits_the_screen(page, width)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize(
    "path",
    ["/pills", "/pills?imprint=PD+155", "/pills?imprint=pfizer&color=blue&shape=diamond",
     "/pills?imprint=ZQ+9731", "/pills?size=abc"],
)  # fmt: skip
def test_the_identifier_has_no_serious_accessibility_problem(
    new_context: ContextFactory, forum: Forum, axe: Axe, width: str, path: str
) -> None:
    context = new_context(viewport=WIDTHS[width], is_mobile=width == "phone")
    page = context.new_page()
    page.goto(path)
    results = axe.run(page, options=AXE_OPTIONS).response
    blocking = [v for v in results["violations"] if is_blocking(v)]
    assert not blocking, f"{path} at {width} width:\n" + "\n".join(describe(v) for v in blocking)
    fits_the_screen(page, width)
