"""Interaction conditions: the conditions a severity holds in, plain-language summaries
and rules listed twice (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from forum.drugs.importer import import_drugs
from forum.drugs.interactions import LAY_SUMMARIES, check_interactions
from forum.drugs.rule_text import readable, rule_condition
from forum.extensions import db
from forum.models import InteractionRule, Severity
from tests.conftest import CsrfClient
from tests.drug_data import _rows, _write_rows, drug, import_subset, write_subset
from tests.interaction_support import make_class, make_drug, make_rule, medicines

# Conditions, plain-language summaries and rules listed twice (issue 15)

WARFARIN_ASPIRIN_CONDITION = (
    "anti-inflammatory doses of acetylsalicylic acid (≥ 1 g per dose and/or ≥ 3 g per day)"
)


def test_warfarin_and_aspirin_are_contraindicated_only_at_anti_inflammatory_doses(
    app: Flask, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    pair = check_interactions(medicines(drug("warfarin"), drug("aspirin"))).pairs[0]
    assert pair.severity == Severity.CONTRAINDICATED
    assert pair.condition == WARFARIN_ASPIRIN_CONDITION
    # Otherwise (a low dose), the class rule for platelet aggregation inhibitors holds.
    assert pair.otherwise is not None and pair.otherwise.severity == Severity.TAKE_INTO_ACCOUNT
    assert pair.summary == (
        f"In this case — {WARFARIN_ASPIRIN_CONDITION} — do not take these together. "
        "In other cases: be aware of it; your doctor or pharmacist takes it into account."
    )
    top = pair.statements[0]
    assert top.condition_text == WARFARIN_ASPIRIN_CONDITION and top.what_to_do == ""
    assert top.risk.startswith("Increase of the risk of hemorrhage")


def test_the_source_text_keeps_its_typos_in_the_data(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)
    stored = db.session.scalar(select(InteractionRule).where(InteractionRule.ref == "2380"))
    assert stored is not None
    assert stored.advice == (
        "- anti--inflammatory does of acetylsalicylic acid (>=1g per dose and/or >=3g per day)"
    )
    assert stored.condition == (
        "anti--inflammatory does of acetylsalicylic acid (>=1g per dose and/or >=3g per day)"
    )


def test_the_check_page_shows_the_condition_next_to_the_severity_and_a_summary(
    client: CsrfClient, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    page = client.post("/drugs/interactions", data={"names": "warfarin\naspirin"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"only when: {WARFARIN_ASPIRIN_CONDITION}" in text
    assert "Take into account</span>" in text  # otherwise
    assert "In plain words:</strong> In this case" in text
    assert "anti--inflammatory" not in text and "does of" not in text
    assert text.count("rule 2380") == 1


def test_every_pair_gets_the_plain_sentence_of_its_severity(app: Flask) -> None:
    for n, severity in enumerate(Severity):
        a, b = make_drug(f"Alpha {n}"), make_drug(f"Beta {n}")
        make_rule(a, b, severity, ref=str(n))
        pair = check_interactions(medicines(a, b)).pairs[0]
        assert pair.summary == LAY_SUMMARIES[severity]
        assert pair.condition == "" and pair.otherwise is None


def test_a_conditional_severity_without_another_rule_says_the_sources_are_silent(
    app: Flask,
) -> None:
    a, b = make_drug("Alpha"), make_drug("Beta")
    make_rule(a, b, Severity.NOT_RECOMMENDED, condition="-with the oral suspension form")
    pair = check_interactions(medicines(a, b)).pairs[0]
    assert pair.condition == "with the oral suspension form"
    assert pair.summary.startswith("In this case — with the oral suspension form — usually")
    assert pair.summary.endswith("In other cases, these sources do not say: ask your pharmacist.")


def test_a_statement_that_always_holds_wins_over_a_conditional_one_of_the_same_level(
    app: Flask,
) -> None:
    a, b = make_drug("Alpha"), make_drug("Beta")
    make_rule(a, b, Severity.PRECAUTION, "Dose.", ref="1", condition="with large doses")
    make_rule(a, b, Severity.PRECAUTION, "Other risk.", ref="2")
    pair = check_interactions(medicines(a, b)).pairs[0]
    assert pair.condition == "" and pair.summary == LAY_SUMMARIES[Severity.PRECAUTION]


def test_one_rule_listed_twice_by_the_source_is_shown_once_with_both_numbers(
    app: Flask,
) -> None:
    warfarin, aspirin = make_drug("Warfarin"), make_drug("Aspirin")
    anticoagulants = make_class("Oral anticoagulants", warfarin)
    make_rule(
        anticoagulants, aspirin, Severity.CONTRAINDICATED,
        "Increase of the risk of hemorrhage, especially in cases with a previous "
        "gastroduodenal ulcer", ref="2380", condition="anti--inflammatory does of aspirin",
    )  # fmt: skip
    make_rule(
        aspirin, anticoagulants, Severity.CONTRAINDICATED,
        "Increase of the risk of hemorrhage, especially in cases with a previous "
        "gastro duodenal ulcer.", ref="2614", condition="anti-inflammatory doses of aspirin",
    )  # fmt: skip
    make_rule(
        aspirin, anticoagulants, Severity.TAKE_INTO_ACCOUNT,
        "Increase of the risk of hemorrhage", ref="2134",
    )  # fmt: skip
    pair = check_interactions(medicines(warfarin, aspirin)).pairs[0]
    assert [s.refs for s in pair.statements] == [("2380", "2614"), ("2134",)]


def test_a_rule_with_a_typo_in_its_copy_is_still_the_same_rule(app: Flask) -> None:
    a, b = make_drug("Delamanid"), make_drug("Carbamazepine")
    make_rule(
        a,
        b,
        Severity.CONTRAINDICATED,
        "Decrease of the plasma concentrations de "
        "delamanid due to increase of its hepatic metabolism by the inducer.",
        ref="355",
    )
    make_rule(
        b,
        a,
        Severity.CONTRAINDICATED,
        "Decrease of the plasma concentratioins of "
        "delamanid due to increase of its hepatic metabolism by the inducer",
        ref="2496",
    )
    assert [s.refs for s in check_interactions(medicines(a, b)).pairs[0].statements] == [
        ("355", "2496")
    ]


def test_different_levels_or_conditions_are_different_rules(app: Flask) -> None:
    a, b = make_drug("Alpha"), make_drug("Beta")
    make_rule(a, b, Severity.PRECAUTION, "Same words.", ref="1")
    make_rule(b, a, Severity.CONTRAINDICATED, "Same words.", ref="2")
    make_rule(b, a, Severity.PRECAUTION, "Same words.", ref="3", condition="by injection")
    statements = check_interactions(medicines(a, b)).pairs[0].statements
    assert [s.refs for s in statements] == [("2",), ("1",), ("3",)]


@pytest.mark.parametrize(
    ("mechanism", "advice", "condition"),
    [
        ("Bleeding.", "- anti--inflammatory does of aspirin (>=1g per dose)",
         "anti--inflammatory does of aspirin (>=1g per dose)"),
        ("Bleeding.", "--with the macrolides", "with the macrolides"),
        ("Risk.", "-when used as a contraceptive: use another method.",
         "when used as a contraceptive"),
        ("With the cimetidine used in doses >= 800 mg/day: drowsiness", "Warn the patient.",
         "With the cimetidine used in doses >= 800 mg/day"),
        ("Risk.", "-if administering these together is justified, strict testing.", ""),
        ("Risk.", "-avoid starting during the adjustment.", ""),
        ("Risk.", "--and during the 6 months following the end of the chemotherapy", ""),
        ("For verapamil by injection: risk. For verapamil by mouth: risk.", "", ""),
        ("Increase of the risk of hemorrhage", "Use weaker doses.", ""),
    ],
)  # fmt: skip
def test_a_condition_is_read_from_the_source_text_as_shipped(
    mechanism: str, advice: str, condition: str
) -> None:
    assert rule_condition(mechanism, advice) == condition


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("- anti--inflammatory does of acetylsalicylic acid (>=1g per dose and/or >=3gr per day)",
         "anti-inflammatory doses of acetylsalicylic acid (≥ 1 g per dose and/or ≥ 3 g per day)"),
        ("Toxicity of the methotrezate", "Toxicity of the methotrexate"),
        ("Decease of the plasma concentrations", "Decrease of the plasma concentrations"),
        ("For doses of perampenel >or = to 12 mg/day", "For doses of perampanel ≥ 12 mg/day"),
        ("<3 gr per day, 20mg /week", "< 3 g per day, 20 mg /week"),
        ("CLASS IA ANTIARRYTHMICS", "CLASS IA ANTIARRHYTHMICS"),
        ("What he does of late is fine", "What he does of late is fine"),
    ],
)  # fmt: skip
def test_the_source_wording_is_shown_with_its_typos_corrected(raw: str, shown: str) -> None:
    assert readable(raw) == shown


def test_a_data_build_that_ships_the_condition_is_imported_as_is(
    app: Flask, tmp_path: Path
) -> None:
    folder = write_subset(tmp_path / "drug-data")
    path = folder / "interaction_rules.csv.gz"
    header, rows = _rows(path)
    for row in rows:
        row["condition"] = "in large doses" if row["ref"] == "2134" else ""
    _write_rows(path, [*header, "condition"], rows)
    import_drugs(folder)
    conditions = dict(
        db.session.execute(
            select(InteractionRule.ref, InteractionRule.condition).where(
                InteractionRule.ref.in_(["2134", "2380"])
            )
        ).all()
    )
    assert conditions["2134"] == "in large doses"
    assert conditions["2380"].startswith("anti--inflammatory does")


def test_a_link_naming_two_medicines_shows_their_check_at_once(
    client: CsrfClient, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    page = client.get("/drugs/interactions?names=warfarin%0Aaspirin")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"only when: {WARFARIN_ASPIRIN_CONDITION}" in text
    one = client.get("/drugs/interactions?names=warfarin")
    assert one.status_code == 200 and "Name at least two medicines." in one.get_data(as_text=True)
