"""Hostile posts (tests/browser/xss_payloads.txt) never run script on any page that shows them.

Every page is opened twice: as served, with the Content-Security-Policy, and with the CSP
bypassed, so the sanitizer is tested on its own and the CSP is only a second wall.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Error, Page, expect

from tests.browser.conftest import TIMEOUT_MS, ContextFactory, Forum, log_in
from tests.browser.seed import (
    HOSTILE_AUTHOR,
    HOSTILE_COMMUNITY,
    HOSTILE_REPLIER,
    HOSTILE_TAG,
    HOSTILE_TOPIC,
    hostile_title,
    read_payloads,
)

pytestmark = pytest.mark.browser

PAYLOADS = read_payloads()
MODES = {"with the CSP": False, "with the CSP bypassed": True}
LIST_PAGES = (
    "/", "/communities", "/topics", f"/topics/{HOSTILE_TOPIC}", f"/c/{HOSTILE_COMMUNITY}",
    f"/c/{HOSTILE_COMMUNITY}?sort=new", f"/tags/{HOSTILE_TAG}", f"/u/{HOSTILE_AUTHOR}",
    f"/u/{HOSTILE_REPLIER}", "/following", "/search?q=sample", "/search?q=script+onerror",
    "/search?q=javascript&sort=newest",
)  # fmt: skip
# Query strings the pages echo back (search box, sort and page arguments).
REFLECTED = (
    "/search?q=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
    "/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dwindow.__xss%3D1%3E&community=%22%3E%3Csvg%3E",
    f"/c/{HOSTILE_COMMUNITY}?sort=%22%3E%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E&page=-1",
    "/account/login?next=javascript:window.__xss=1",
)

# What a sanitizer hole leaves in the DOM, whether or not it ran.
DOM_AUDIT = """() => {
  const found = [];
  const scheme = /^(javascript|vbscript|data):/i;
  const banned = ["iframe", "frame", "object", "embed", "applet", "svg", "math", "base",
                  "style", "portal"];
  // The site's own decorative icons (logo, menu, search cards), never inside user text.
  const siteIcon = (el) => el.getAttribute("aria-hidden") === "true"
    && (el.classList.contains("icon") || el.classList.contains("brand-mark"))
    && !el.closest(".post-body, .snippet, .preview, .similar-results");
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (banned.includes(tag) && !(tag === "svg" && siteIcon(el)))
      found.push(`a <${tag}> element`);
    if (tag === "script" && !(el.src && new URL(el.src).pathname.startsWith("/static/")))
      found.push(`a script: ${el.outerHTML.slice(0, 80)}`);
    if ((tag === "link" || tag === "meta") && el.closest("body"))
      found.push(`a <${tag}> in the body`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "");
      if (name.startsWith("on")) found.push(`an ${name} handler on <${tag}>`);
      if (name === "style") found.push(`a style attribute on <${tag}>`);
      if (name === "srcdoc" || (["href", "src", "action", "formaction", "data", "xlink:href",
          "poster", "background"].includes(name) && scheme.test(value)))
        found.push(`${name}="${attr.value.slice(0, 60)}" on <${tag}>`);
      if (name === "target" && el.closest(".post-body")) found.push("a target on a post link");
    }
  }
  return found;
}"""
# Give handlers that fire late (autofocus, animations) a chance to run before looking.
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


class Watcher:
    """One hostile author's tab; it records what each page opened in it did."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", self._page_error)

    def _dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"a {dialog.type} dialog opened: {dialog.message!r}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.problems.append(f"console error: {message.text}")

    def _page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught error: {error.message}")

    def visit(self, path: str) -> list[str]:
        """Open a page and list everything that shows hostile content escaped its box."""
        self.problems = []
        response = self.page.goto(path)
        if response is None or response.status != 200:
            self.problems.append(f"answered {response.status if response else 'nothing'}")
        self.page.evaluate(SETTLE)
        marker = self.page.evaluate("() => window.__xss ?? null")
        if marker is not None:
            self.problems.append(f"a payload ran: window.__xss = {marker!r}")
        self.problems.extend(self.page.evaluate(DOM_AUDIT))
        return self.problems


@pytest.fixture(scope="module")
def tabs(browser: Browser, forum: Forum) -> Iterator[dict[str, Watcher]]:
    """The hostile author's tabs: one honouring the CSP and one bypassing it."""
    contexts = []
    opened = {}
    for mode, bypass in MODES.items():
        context = browser.new_context(base_url=forum.url, bypass_csp=bypass)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        log_in(page, HOSTILE_AUTHOR)
        opened[mode] = Watcher(page)
    yield opened
    for context in contexts:
        context.close()


def failures(tabs: dict[str, Watcher], path: str, modes: Iterable[str] = MODES) -> list[str]:
    """Open the page in the tabs; each problem names the page and the mode."""
    return [f"{path} ({mode}): {problem}" for mode in modes for problem in tabs[mode].visit(path)]


@pytest.mark.parametrize(
    "number",
    range(1, len(PAYLOADS) + 1),
    ids=[f"payload-{n:02d}" for n in range(1, len(PAYLOADS) + 1)],
)
def test_a_hostile_post_runs_no_script_on_its_thread_and_edit_pages(
    tabs: dict[str, Watcher], forum: Forum, number: int
) -> None:
    payload = PAYLOADS[number - 1]
    path = f"/threads/{forum.data.hostile_thread_ids[number - 1]}"
    found = failures(tabs, path)

    page = tabs["with the CSP"].page
    expect(page.get_by_role("heading", level=1)).to_have_text(hostile_title(number, payload))
    bodies = page.locator(".post-body")
    expect(bodies).to_have_count(2)
    if "{{" in payload:
        # Template syntax in a post is text, never evaluated.
        for text in bodies.all_inner_texts():
            if "{{" not in text:
                found.append(f"{path}: the template syntax was evaluated: {text[:80]!r}")
    edit = (
        page.locator("article.post.opening").get_by_role("link", name="Edit").get_attribute("href")
    )
    assert edit, f"{path}: the author sees no Edit link"
    # The edit form puts the source in a <textarea>: Jinja's escaping, not the sanitizer.
    found += failures(tabs, edit, ["with the CSP bypassed"])
    assert not found, f"payload {number:02d} {payload!r}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", LIST_PAGES)
def test_pages_that_list_hostile_posts_run_no_script(tabs: dict[str, Watcher], path: str) -> None:
    found = failures(tabs, path)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", REFLECTED)
def test_hostile_query_strings_run_no_script(tabs: dict[str, Watcher], path: str) -> None:
    found = failures(tabs, path)
    assert not found, "\n".join(found)


def test_hostile_content_posted_through_the_forms_is_shown_as_text(
    new_context: ContextFactory,
) -> None:
    title = "<img src=x onerror=\"window.__xss='form title';alert(1)\"> sugar <b>question</b>"
    body = "<script>window.__xss='form body'</script>\n\n[click](javascript:alert('form'))"
    reply = "</textarea><svg onload=\"window.__xss='form reply';alert(2)\">"
    page = new_context().new_page()
    log_in(page, HOSTILE_REPLIER)
    page.goto(f"/threads/new?community={HOSTILE_COMMUNITY}")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Details").fill(body)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("textbox", name="Your reply").fill(reply)
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("article.post:not(.opening) .post-body")).to_have_text(reply)
    expect(page.locator("article.post.opening .post-body")).to_contain_text("<script>")
    page.evaluate(SETTLE)
    assert page.evaluate("() => window.__xss ?? null") is None, page.url
    assert page.evaluate(DOM_AUDIT) == [], page.url
    page.goto(f"/c/{HOSTILE_COMMUNITY}")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    assert page.evaluate(DOM_AUDIT) == [], page.url
