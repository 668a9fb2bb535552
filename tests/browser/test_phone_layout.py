"""Key pages on a 360 px wide phone: nothing wider than the screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ContextFactory, Forum, log_in
from tests.browser.seed import PUBLIC, READER

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def key_pages(forum: Forum) -> list[str]:
    question = f"/threads/{forum.data.question_id}"
    return [
        "/", "/topics", "/communities", f"/c/{PUBLIC}", question, f"/u/{READER}",
        "/account/login", "/account/register", "/account/password-reset",
        "/threads/new", "/account/settings", "/following", "/search?q=blood+pressure",
    ]  # fmt: skip


@pytest.mark.parametrize("text_size", ["2", "4"], ids=["default-text", "largest-text"])
def test_key_pages_fit_a_360_px_phone_screen_without_sideways_scrolling(
    new_context: ContextFactory, forum: Forum, text_size: str
) -> None:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_cookies([{"name": "text_size", "value": text_size, "url": forum.url}])
    page = context.new_page()
    log_in(page, READER)
    too_wide = []
    for path in key_pages(forum):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(WIDEST_ELEMENTS, PHONE["width"])
            too_wide.append(f"{path}: {width} px wide; sticking out: {culprits}")
    assert not too_wide, "\n".join(too_wide)


# The innermost elements whose right edge passes the screen edge, to name in a failure.
WIDEST_ELEMENTS = """(limit) => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 0.5 && ![...el.children].some(
        (child) => child.getBoundingClientRect().right > limit + 0.5)) {
      out.push(`${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""}`
        + ` (right edge ${Math.round(box.right)})`);
    }
  }
  return out.slice(0, 5);
}"""
