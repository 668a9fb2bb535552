"""Search that answers, in a real browser: a misspelling shows the corrected results at once,
a drug name puts its drug page first, and two drugs offer their interaction check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from forum import create_app
from forum.extensions import db
from tests.browser.conftest import ContextFactory, Forum
from tests.browser.test_accessibility import AXE_OPTIONS, describe, is_blocking
from tests.drug_data import import_subset

pytestmark = pytest.mark.browser

DRUGS = ("atorvastatin", "ibuprofen", "lisinopril")


@pytest.fixture(scope="module")
def drugs(forum: Forum, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Three drugs in the running forum's directory (the browser seed has none)."""
    workdir = forum.server.log_path.parent
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": f"sqlite:///{workdir / 'forum.db'}",
            "SEARCH_DIR": str(workdir / "index"),
            "SEARCH_DRAIN": "off",
        }
    )
    with app.app_context():
        import_subset(Path(tmp_path_factory.mktemp("drug-subset")), DRUGS)
        db.session.remove()
        db.engine.dispose()
    yield


def search(page: Page, words: str) -> None:
    page.goto("/")
    box = page.get_by_role("banner").get_by_role("search")
    box.get_by_label("Search the forum").fill(words)
    box.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search questions and answers")


def test_a_misspelling_shows_the_corrected_results_at_once(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    search(page, "blood presure")
    notice = page.locator(".auto-corrected")
    expect(notice).to_contain_text(
        "Showing results for blood pressure. Search instead for blood presure."
    )
    expect(page.locator(".search-hits")).to_contain_text("blood pressure")
    notice.get_by_role("link", name="blood presure").click()
    expect(page.get_by_label("Search for")).to_have_value("blood presure")
    expect(page.locator(".auto-corrected")).to_have_count(0)
    expect(page.locator(".did-you-mean")).to_contain_text("Did you mean blood pressure?")


@pytest.mark.usefixtures("drugs")
def test_a_brand_name_puts_its_drug_page_first(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    search(page, "Lipitor")
    first = page.locator(".search-shortcuts .shortcut").first
    expect(first).to_contain_text("Lipitor is a brand name for Atorvastatin.")
    first.get_by_role("link", name="Atorvastatin").click()
    expect(page).to_have_url(f"{page.url.split('/drugs/')[0]}/drugs/atorvastatin")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Atorvastatin")


@pytest.mark.usefixtures("drugs")
def test_two_drugs_in_a_question_offer_their_interaction_check(
    new_context: ContextFactory,
) -> None:
    page = new_context().new_page()
    search(page, "Can I take ibuprofen with lisinopril")
    offer = page.locator(".shortcut-interactions")
    expect(offer).to_be_visible()
    expect(offer.get_by_role("heading")).to_have_text(
        "Check Ibuprofen with Lisinopril for interactions"
    )
    box = offer.bounding_box()
    results = page.locator("#results-heading").bounding_box()
    assert box is not None and results is not None and box["y"] < results["y"]
    offer.get_by_role("link", name="Check interactions between Ibuprofen and Lisinopril").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check interactions between medicines"
    )


def test_a_health_center_name_puts_the_center_first(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    search(page, "heart health")
    center = page.locator(".shortcut-topic")
    expect(center).to_contain_text("Health center")
    center.get_by_role("link", name="Heart health").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Heart health")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.usefixtures("drugs")
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "words", ["Can I take ibuprofen with lisinopril", "Lipitor", "heart health", "blood presure"]
)
def test_answers_above_the_results_have_no_serious_accessibility_problem(
    new_context: ContextFactory, axe: Axe, words: str, phone: bool
) -> None:
    options = {"viewport": {"width": 390, "height": 844}, "is_mobile": True} if phone else {}
    page = new_context(**options).new_page()
    page.goto(f"/search?q={words.replace(' ', '+')}")
    if phone:
        page.locator(".site-menu-button").click()
    results = axe.run(page, options=AXE_OPTIONS).response
    blocking = [v for v in results["violations"] if is_blocking(v)]
    assert not blocking, f"{words}:\n" + "\n".join(describe(v) for v in blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= (390 if phone else 1280)
