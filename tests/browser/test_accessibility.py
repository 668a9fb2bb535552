"""Accessibility: axe-core finds no serious WCAG 2.1 AA problem, headings and landmarks are in
order, and the keyboard alone reaches everything with a visible focus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import TIMEOUT_MS, Forum, PageProblems, log_in
from tests.browser.seed import ASKER, EXPERT, MODERATOR, PRIVATE, PUBLIC, READER, SeedData

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_21_AA, "best-practice"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
# Best-practice rules that keep headings and landmarks in order: any violation counts.
STRUCTURE_RULES = frozenset(
    {
        "heading-order", "page-has-heading-one", "empty-heading", "landmark-one-main",
        "region", "landmark-unique", "landmark-no-duplicate-banner",
        "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main",
        "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level",
        "landmark-main-is-top-level", "skip-link",
    }
)  # fmt: skip
SIZES = ("1", "2", "3", "4")
QUESTION = "{question}"

# (name, path, who is logged in, text sizes); QUESTION stands for the seeded question, and
# the other {placeholders} for the seeded things that `seeded_path` names.
PAGES: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    ("home", "/", None, SIZES),
    ("thread", f"/threads/{QUESTION}", None, SIZES),
    ("thread-as-member", f"/threads/{QUESTION}", READER, SIZES),
    ("login", "/account/login", None, ("2",)),
    ("register", "/account/register", None, ("2",)),
    ("password-reset", "/account/password-reset", None, ("2",)),
    ("health-centers", "/topics", None, ("2",)),
    ("communities", "/communities", None, ("2",)),
    ("community", f"/c/{PUBLIC}", None, ("2",)),
    ("community-as-member", f"/c/{PUBLIC}", READER, ("2",)),
    ("private-group", f"/c/{PRIVATE}", READER, ("2",)),
    ("members-with-requests", f"/c/{PRIVATE}/members", MODERATOR, ("2",)),
    ("profile", f"/u/{ASKER}", None, ("2",)),
    ("tag", "/tags/blood-pressure", None, ("2",)),
    ("ask", "/threads/new", READER, ("2", "4")),
    ("settings", "/account/settings", READER, ("2",)),
    ("following", "/following", READER, ("2",)),
    ("search-results", "/search?q=blood+pressure", None, ("2", "4")),
    ("experts", "/experts", None, ("2",)),
    ("articles", "/articles", None, ("2",)),
    ("not-found", "/c/no-such-community", None, ("2",)),
    ("thread-with-endorsement", "/threads/{endorsed}", None, ("2",)),
    ("thread-with-crisis-panel", "/threads/{crisis}", None, ("2",)),
    ("report", "/posts/{reply}/report", READER, ("2",)),
    ("moderation-queue", "/moderation", MODERATOR, ("2",)),
    ("expert-profile", f"/experts/{EXPERT}", None, ("2",)),
    ("expert-queue", "/experts/queue", EXPERT, ("2",)),
]
CASES = [
    pytest.param(name, path, user, size, id=f"{name}-size-{size}")
    for name, path, user, sizes in PAGES
    for size in sizes
]


def seeded_path(path: str, data: SeedData) -> str:
    return path.format(
        question=data.question_id,
        reply=data.reply_id,
        endorsed=data.endorsed_thread_id,
        crisis=data.crisis_thread_id,
    )


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="module")
def tabs(browser: Browser, forum: Forum) -> Iterator[tuple[dict[str | None, Page], PageProblems]]:
    """One tab per reader (anonymous, a member, a moderator, an expert), reused across pages."""
    contexts: list[BrowserContext] = []
    problems = PageProblems()
    opened: dict[str | None, Page] = {}
    for user in (None, READER, MODERATOR, EXPERT):
        context = browser.new_context(base_url=forum.url)
        context.set_default_timeout(TIMEOUT_MS)
        problems.watch(context)
        contexts.append(context)
        opened[user] = context.new_page()
        if user:
            log_in(opened[user], user)
    yield opened, problems
    for context in contexts:
        context.close()


def describe(violation: dict[str, Any]) -> str:
    targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
    return (
        f"{violation['id']} ({violation['impact']}): {violation['help']}; "
        f"{len(violation['nodes'])} element(s), e.g. {targets}"
    )


def is_blocking(violation: dict[str, Any]) -> bool:
    """A serious or critical WCAG 2.1 AA failure, or headings or landmarks out of order."""
    is_wcag = bool(set(violation["tags"]) & set(WCAG_21_AA))
    return (is_wcag and violation["impact"] in BLOCKING) or violation["id"] in STRUCTURE_RULES


@pytest.mark.parametrize(("name", "path", "user", "size"), CASES)
def test_the_page_has_no_serious_or_critical_wcag_21_aa_violations(
    tabs: tuple[dict[str | None, Page], PageProblems],
    axe: Axe,
    forum: Forum,
    name: str,
    path: str,
    user: str | None,
    size: str,
) -> None:
    pages, problems = tabs
    page = pages[user]
    page.context.add_cookies([{"name": "text_size", "value": size, "url": forum.url}])
    problems.found.clear()
    page.goto(seeded_path(path, forum.data))
    expect(page.locator("html")).to_have_class(f"text-size-{size}")

    results = axe.run(page, options=AXE_OPTIONS).response
    blocking = [v for v in results["violations"] if is_blocking(v)]
    assert not blocking, f"{name} page ({path}) at text size {size}:\n" + "\n".join(
        describe(v) for v in blocking
    )
    assert not problems.found, "\n".join(problems.found)


@pytest.mark.parametrize("path", ["/", f"/threads/{QUESTION}", "/account/login"])
def test_the_first_tab_focuses_the_skip_link_and_enter_moves_focus_to_main(
    page: Page, forum: Forum, path: str
) -> None:
    page.goto(path.format(question=forum.data.question_id))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    focused_inside_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused_inside_main, f"{path}: the Tab after the skip link left the main content"


# Whether the focused element shows a focus indicator: an outline or a box shadow.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const label = `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.name || "")
    .trim().slice(0, 40)}"`;
  return {label, visible: outline || style.boxShadow !== "none", body: el === document.body};
}"""


def test_every_control_shows_where_the_keyboard_focus_is(page: Page, forum: Forum) -> None:
    log_in(page, READER)
    page.goto(f"/threads/{forum.data.question_id}")
    unmarked: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus["body"]:
            break
        if not focus["visible"]:
            unmarked.append(focus["label"])
    assert not unmarked, f"no visible focus on the thread page for: {unmarked}"
