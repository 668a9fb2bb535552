"""Reading a post or an article body in the request takes linear time, even on hostile input."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import pytest
from flask import Flask

from forum.articles.references import check_references, cited_numbers, link_references
from forum.safety import assess
from forum.threads.content import BODY_MAX

# A generous bound for one call (the best of three runs is kept). On a loaded machine a
# call may take longer: it then passes if a body four times as long takes less than eight
# times as long (linear, with room for noise; the quadratic patterns these tests caught took
# sixteen times as long, and 1-2 s).
LIMIT = 0.1
GROWTH_LIMIT = 8.0
ARTICLE_BODY_MAX = 50_000


def seconds(call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def repeated(piece: str, length: int = BODY_MAX) -> str:
    return (piece * (length // len(piece) + 1))[:length]


def assert_linear(check: Callable[[str], object], piece: str, length: int) -> None:
    """check(body) is fast for the longest body, or grows linearly with its length."""
    full = seconds(partial(check, repeated(piece, length)))
    if full < LIMIT:
        return
    quarter = seconds(partial(check, repeated(piece, length // 4)))
    assert full / max(quarter, 1e-4) < GROWTH_LIMIT, (full, quarter)


# Each was the worst for one pattern: "ssn-" and "1-" took 1-2 s in the personal-information
# patterns (an e-mail's local part and a record number were retried from every position).
@pytest.mark.parametrize(
    "piece",
    [
        "ssn-", "a.", "1-", "a-", "x@a", "mrn ", "ssn 1-", "born 1/", "1 Main St ", "12 13 ",
        "+1 (", "1.", "stop taking ", "a@", "i ", "my my my ", "not suicide i ",
        "i'm not suicidal, ", "my chest pain ", "he is having ", "took 30 ", "how much ",
        "my face ", "x",
    ],
)  # fmt: skip
def test_a_worst_case_post_body_is_screened_in_linear_time(app: Flask, piece: str) -> None:
    assess("Warm the patterns up: I took 30 pills.")
    for variant in (piece, piece.upper()):
        assert_linear(assess, variant, BODY_MAX)


def test_a_worst_case_article_body_is_checked_in_linear_time() -> None:
    # 12,500 "[1]:" lines took 13.5 s per save: each reference searched back from the start.
    for piece in ("[1]:\n", "   [1]: x\n", "[1] ", "[1]:"):
        assert_linear(partial(check_references, count=3), piece, ARTICLE_BODY_MAX)
        assert_linear(partial(link_references, count=3), piece, ARTICLE_BODY_MAX)


@pytest.mark.parametrize(
    ("body", "cited"),
    [
        ("Cited [1].\n\n[1]: https://example.org", {1}),
        ("[2]: a definition opening the text", set()),
        ("   [2]: three spaces still open a definition", set()),
        ("    [2]: four spaces are not a definition", {2}),
        ("Text [2]: inside a line is a citation", {2}),
        ("line\n [3]: a definition after a newline\n[4] cited", {4}),
    ],
)
def test_reference_definitions_are_still_told_apart_from_citations(
    body: str, cited: set[int]
) -> None:
    assert cited_numbers(body) == cited


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Write to jane.doe@example.com please", ["an e-mail address"]),
        ("(a.b+c@mail.example.org)", ["an e-mail address"]),
        ("ssn-ssn-ssn and no number", []),
        ("My SSN is 123-45-6789", ["a medical record or ID number"]),
        ("MRN: AB-12345", ["a medical record or ID number"]),
        ("policy number XK-77", ["a medical record or ID number"]),
        ("I take 1.5 mg a day", []),
    ],
)
def test_personal_information_is_still_found_after_the_speed_fix(
    app: Flask, text: str, found: list[str]
) -> None:
    assert assess(text).personal_information == found
