"""The search box's parser never fails, and the synonym list ships what it promises."""

from __future__ import annotations

import random

import pytest

from forum.search.backend import Alternative, plan
from forum.search.query import MAX_LENGTH, MAX_TERMS, Clause, parse
from forum.search.spelling import edit_distance, rank_corrections
from forum.search.synonyms import SHIPPED, SynonymTable, load

HOSTILE = [
    "",
    "\x00",
    "a\x00b\x00c",
    "x" * 10_000,
    " ".join(f"word{n}" for n in range(1000)),
    '"unbalanced quote',
    'a "b c',
    "((((((((((((((((((((a))))))))))))))))))))",
    "a) OR (b",
    "NOT OR x",
    "NOT",
    "- -- ---",
    "*abc",
    "?bc",
    "a*b*c*",
    "community_id:3",
    "title:secret body:x",
    "9" * 400,
    "1e308 -1e308 0x7fffffff",
    "AND OR NOT",
    '"" ""',
    "\u202e\u200b\ufeff",
    "\U0001f642" * 300,
    "%_\\'\";--",
    "<script>alert(1)</script>",
    "[a TO b] {c TO d}",
    "a~2 b^5 ~ ^",
    "\ud800",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_input_parses_within_the_caps(raw: str) -> None:
    parsed = parse(raw)
    assert sum(len(clause.words) for clause in parsed.clauses) <= MAX_TERMS
    assert len(parsed.text) <= MAX_LENGTH + 2 * MAX_TERMS
    assert "\x00" not in parsed.text
    plan(parsed, load())


def test_random_input_never_raises() -> None:
    alphabet = 'ab "-*()!:^~\\\x00\t\u00e9\U0001f642NOTOR'
    generator = random.Random(5)
    for _ in range(2000):
        raw = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 60)))
        parse(raw)


def test_words_phrases_and_exclusions_are_understood() -> None:
    parsed = parse('Blood "morning high" -fasting NOT insulin')
    assert parsed.clauses == (
        Clause(("blood",)),
        Clause(("morning", "high"), phrase=True),
        Clause(("fasting",), negated=True),
        Clause(("insulin",), negated=True),
    )
    assert parsed.text == 'blood "morning high" -fasting -insulin'


def test_only_a_trailing_wildcard_makes_a_prefix_search() -> None:
    assert parse("diab*").clauses == (Clause(("diab",), prefix=True),)
    assert parse("*abc").clauses == (Clause(("abc",)),)
    assert parse("ab*").clauses == (Clause(("ab",)),)  # too short to expand


def test_field_syntax_is_just_words() -> None:
    assert parse("community_id:3").clauses == (Clause(("community", "id", "3"), phrase=True),)


def test_a_query_of_exclusions_only_is_empty() -> None:
    assert parse("-diabetes").is_empty
    assert parse("NOT OR x").is_empty
    assert parse("the of and").is_empty


def test_the_term_count_is_capped() -> None:
    parsed = parse(" ".join(f"w{n}" for n in range(100)))
    assert len(parsed.clauses) == MAX_TERMS


def test_synonym_groups_match_on_stems_and_longest_phrase_first() -> None:
    table = SynonymTable.from_lines(["heart attack | myocardial infarction", "heart | cardiac"])
    spans = table.segment(["heart", "attacks", "pain"])
    assert spans[0] == (("heart", "attacks"), [("myocardial", "infarction")])
    assert spans[1] == (("pain",), [])


def test_synonyms_expand_plain_words_into_alternatives() -> None:
    table = SynonymTable.from_lines(["high blood pressure | hypertension"])
    units = plan(parse("high blood pressure diet"), table)
    assert units[0].alternatives == (
        Alternative(("high", "blood", "pressure")),
        Alternative(("hypertension",)),
    )
    assert units[1].alternatives == (Alternative(("diet",)),)


def test_excluded_words_are_not_expanded() -> None:
    table = SynonymTable.from_lines(["sugar | glucose"])
    (unit,) = plan(parse("-sugar"), table)
    assert unit.negated and unit.alternatives == (Alternative(("sugar",)),)


def test_the_shipped_list_joins_lay_clinical_brand_and_generic_names() -> None:
    table = load()
    assert ("myocardial", "infarction") in table.alternatives(["heart", "attack"])
    assert ("hypertension",) in table.alternatives(["high", "blood", "pressure"])
    assert ("atorvastatin",) in table.alternatives(["lipitor"])
    assert ("tylenol",) in table.alternatives(["acetaminophen"])
    assert SHIPPED.stat().st_size < 300_000


def test_corrections_prefer_the_closest_then_the_most_frequent_word() -> None:
    assert edit_distance("diabetis", "diabetes") == 1
    assert edit_distance("hte", "the") == 1
    counts = {"diabetes": 5, "diabetic": 50, "diabeta": 1000, "dialysis": 9999}
    ranked = rank_corrections("diabetis", counts, lambda words: {w: counts[w] for w in words})
    assert ranked == ["diabetic", "diabetes", "diabeta"]


def test_corrections_count_only_what_the_frequencies_say_is_visible() -> None:
    visible = {"diabetes": 3, "diabetic": 0, "diabeta": 9}
    ranked = rank_corrections("diabetis", visible, lambda words: {w: visible[w] for w in words})
    assert ranked == ["diabetes", "diabeta"]
    same = rank_corrections("diabetis", visible, lambda w: dict.fromkeys(w, 1), limit=1)
    assert same == ["diabetes"]  # closest first, then by frequency, then by spelling
