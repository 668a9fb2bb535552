"""The compose form's live crisis panels: two kinds, and the same reading as the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from forum.crisis import detect
from tests.browser.conftest import ContextFactory, log_in
from tests.browser.seed import WORRIED

pytestmark = pytest.mark.browser

LABELLED = Path(__file__).parent.parent / "data" / "crisis_labelled.jsonl"
SELF_HARM_PANEL = "You don't have to go through this alone"
EMERGENCY_PANEL = "This may be a medical emergency"
# Every labelled text goes through the page's own input handler; the visible panels are read.
READ_ALL = """(texts) => {
  const body = document.querySelector("form.compose textarea");
  const panels = document.querySelectorAll("#compose-crisis [data-crisis-kind]");
  return texts.map((text) => {
    body.value = text;
    body.dispatchEvent(new Event("input"));
    return Array.from(panels).filter((p) => !p.hidden).map((p) => p.dataset.crisisKind);
  });
}"""


def compose_page(new_context: ContextFactory) -> Page:
    page = new_context().new_page()
    log_in(page, WORRIED)
    page.goto("/threads/new")
    return page


def test_typing_a_medical_emergency_shows_call_now_and_not_the_crisis_lines(
    new_context: ContextFactory,
) -> None:
    page = compose_page(new_context)
    details = page.get_by_label("Details")
    details.fill("What is the maximum dosage of metformin? ")
    emergency = page.get_by_role("region", name=EMERGENCY_PANEL)
    self_harm = page.get_by_role("region", name=SELF_HARM_PANEL)
    expect(emergency).to_be_hidden()
    expect(self_harm).to_be_hidden()
    details.press_sequentially("My husband's face is drooping")
    expect(emergency).to_be_visible()
    expect(emergency).to_contain_text("call your emergency number now")
    expect(self_harm).to_be_hidden()
    details.fill("I have pills saved up and I want to end it tonight.")
    expect(self_harm).to_be_visible()
    expect(self_harm.get_by_role("link", name="Call or text 988")).to_be_visible()


def test_the_live_panels_read_every_labelled_question_as_the_server_does(
    new_context: ContextFactory,
) -> None:
    texts = [json.loads(line)["text"] for line in LABELLED.read_text("utf-8").splitlines()]
    page = compose_page(new_context)
    in_browser = page.evaluate(READ_ALL, texts)
    on_server = [[kind.value for kind in detect(text)] for text in texts]
    differ = [(t, b, s) for t, b, s in zip(texts, in_browser, on_server, strict=True) if b != s]
    assert differ == []
