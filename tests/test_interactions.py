"""Interaction matching: drug and class rules, ingredients, both orders, severity, unknowns,
the conditions a severity holds in, plain-language summaries and rules listed twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, insert, select

from forum.drugs.importer import class_label, import_drugs
from forum.drugs.interactions import LAY_SUMMARIES, Medicine, check_interactions
from forum.drugs.rule_text import readable, rule_condition
from forum.extensions import db
from forum.models import (
    Drug,
    DrugIngredient,
    InteractionClass,
    InteractionRule,
    Severity,
    interaction_class_member,
)
from tests.conftest import CsrfClient
from tests.drug_data import _rows, _write_rows, drug, import_subset, write_subset


def make_drug(name: str, covered: bool = True) -> Drug:
    found = Drug(key=name.lower(), slug=name.lower(), name=name, has_interaction_data=covered)
    db.session.add(found)
    db.session.flush()
    return found


def make_class(name: str, *members: Drug) -> InteractionClass:
    group = InteractionClass(source="ansm", key=name.upper(), name=name)
    db.session.add(group)
    db.session.flush()
    for member in members:
        db.session.execute(
            insert(interaction_class_member), {"class_id": group.id, "drug_id": member.id}
        )
    return group


def make_rule(
    first: Drug | InteractionClass,
    second: Drug | InteractionClass,
    severity: Severity,
    mechanism: str = "Risk.",
    source: str = "ansm",
    ref: str = "1",
    condition: str = "",
) -> InteractionRule:
    sides: dict[str, int] = {}
    for n, item in (("1", first), ("2", second)):
        kind = "drug" if isinstance(item, Drug) else "class"
        sides[f"item{n}_{kind}_id"] = item.id
    rule = InteractionRule(
        source=source,
        ref=ref,
        severity=severity,
        mechanism=mechanism,
        advice="Ask.",
        condition=condition,
        **sides,
    )
    db.session.add(rule)
    db.session.flush()
    return rule


def medicines(*drugs: Drug) -> list[Medicine]:
    return [Medicine(d.name, d) for d in drugs]


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


# Drug and class rules, in both orders


@pytest.mark.parametrize("reverse", [False, True])
def test_a_drug_rule_matches_in_either_order(app: Flask, reverse: bool) -> None:
    statin, antibiotic = make_drug("Statin"), make_drug("Antibiotic")
    make_rule(antibiotic, statin, Severity.PRECAUTION, "Muscle damage.")
    pair = (statin, antibiotic) if not reverse else (antibiotic, statin)
    report = check_interactions(medicines(*pair))
    assert len(report.pairs) == 1
    finding = report.pairs[0]
    assert {finding.first.label, finding.second.label} == {"Statin", "Antibiotic"}
    assert finding.severity == Severity.PRECAUTION
    assert finding.statements[0].mechanism == "Muscle damage."
    assert finding.statements[0].advice == "Ask."
    assert report.unchecked == []


def test_a_class_rule_matches_members_of_both_classes(app: Flask) -> None:
    warfarin, ibuprofen, other = make_drug("Warfarin"), make_drug("Ibuprofen"), make_drug("Other")
    anticoagulants = make_class("Oral anticoagulants", warfarin)
    nsaids = make_class("NSAIDs", ibuprofen)
    make_rule(nsaids, anticoagulants, Severity.NOT_RECOMMENDED, "Bleeding.")
    report = check_interactions(medicines(warfarin, other, ibuprofen))
    assert len(report.pairs) == 1
    statement = report.pairs[0].statements[0]
    assert statement.severity == Severity.NOT_RECOMMENDED
    assert "Warfarin is one of: Oral anticoagulants" in statement.via
    assert "Ibuprofen is one of: NSAIDs" in statement.via


def test_a_class_and_drug_rule_matches(app: Flask) -> None:
    fingolimod, atenolol = make_drug("Fingolimod"), make_drug("Atenolol")
    make_rule(make_class("Bradycardia inducing drugs", atenolol), fingolimod, Severity.HIGH)
    assert [p.severity for p in check_interactions(medicines(fingolimod, atenolol)).pairs] == [
        Severity.HIGH
    ]


def test_a_class_rule_with_itself_pairs_two_members_but_not_one_with_itself(app: Flask) -> None:
    first, second = make_drug("Bisoprolol"), make_drug("Verapamil")
    slow = make_class("Bradycardia inducing drugs", first, second)
    make_rule(slow, slow, Severity.TAKE_INTO_ACCOUNT)
    assert len(check_interactions(medicines(first, second)).pairs) == 1
    assert check_interactions(medicines(first)).pairs == []


def test_a_combination_matches_through_its_ingredients(app: Flask) -> None:
    statin, antibiotic, partner = make_drug("Statin"), make_drug("Antibiotic"), make_drug("Eze")
    combo = make_drug("Eze/statin")
    db.session.add_all(
        [
            DrugIngredient(drug_id=combo.id, ingredient_id=statin.id),
            DrugIngredient(drug_id=combo.id, ingredient_id=partner.id),
        ]
    )
    make_rule(statin, antibiotic, Severity.PRECAUTION)
    report = check_interactions(medicines(antibiotic, combo))
    assert len(report.pairs) == 1
    assert "contains Statin" in report.pairs[0].statements[0].via


# Order and what cannot be checked


def test_pairs_come_most_severe_first_and_statements_too(app: Flask) -> None:
    a, b, c = make_drug("Alpha"), make_drug("Beta"), make_drug("Gamma")
    make_rule(a, b, Severity.TAKE_INTO_ACCOUNT, "Mild.")
    make_rule(b, c, Severity.PRECAUTION, "Watch.")
    make_rule(c, b, Severity.CONTRAINDICATED, "Never.", source="onc")
    make_rule(a, c, Severity.NOT_RECOMMENDED, "Avoid.")
    report = check_interactions(medicines(a, b, c))
    assert [p.severity for p in report.pairs] == [
        Severity.CONTRAINDICATED,
        Severity.NOT_RECOMMENDED,
        Severity.TAKE_INTO_ACCOUNT,
    ]
    assert [s.mechanism for s in report.pairs[0].statements] == ["Never.", "Watch."]


def test_unknown_and_uncovered_medicines_are_reported_unchecked(app: Flask) -> None:
    known, other = make_drug("Known"), make_drug("Other")
    uncovered = make_drug("Herbal", covered=False)
    make_rule(known, other, Severity.PRECAUTION)
    report = check_interactions(
        [Medicine("Known", known), Medicine("Mystery pill"), Medicine("Herbal", uncovered)]
    )
    assert [m.label for m in report.unchecked] == ["Mystery pill", "Herbal"]
    assert [m.label for m in report.checked] == ["Known"]
    assert report.pairs == []


def test_the_same_rule_reached_twice_is_shown_once(app: Flask) -> None:
    a, b = make_drug("Alpha"), make_drug("Beta")
    make_rule(a, b, Severity.PRECAUTION, "Same text.")
    make_rule(b, a, Severity.PRECAUTION, "Same text.")
    assert len(check_interactions(medicines(a, b)).pairs[0].statements) == 1


def test_a_focus_keeps_only_its_pairs(app: Flask) -> None:
    a, b, c = make_drug("Alpha"), make_drug("Beta"), make_drug("Gamma")
    make_rule(a, b, Severity.PRECAUTION)
    make_rule(b, c, Severity.PRECAUTION)
    listed = medicines(a, b, c)
    report = check_interactions(listed, focus=listed[2])
    assert [(p.first.label, p.second.label) for p in report.pairs] == [("Beta", "Gamma")]


def test_twenty_medicines_are_checked_in_four_queries(app: Flask) -> None:
    drugs = [make_drug(f"Drug {n}") for n in range(20)]
    group = make_class("Group", *drugs[:10])
    make_rule(group, drugs[15], Severity.PRECAUTION)
    db.session.commit()
    checked = medicines(*drugs)
    with count_queries() as statements:
        report = check_interactions(checked)
    assert len(report.pairs) == 10
    assert len(statements) <= 4


def test_class_names_keep_only_abbreviations_upper_case() -> None:
    assert class_label("STRONG INHIBITORS OF CYP3A4") == "Strong inhibitors of CYP3A4"
    assert class_label("IRREVERSIBLE MONOAMINE OXIDASE INHIBITORS (MAOI)") == (
        "Irreversible monoamine oxidase inhibitors (MAOI)"
    )


# The shipped data


@pytest.mark.parametrize(
    "keys", [("atorvastatin", "clarithromycin"), ("clarithromycin", "atorvastatin")]
)
def test_atorvastatin_and_clarithromycin_interact_in_the_shipped_rules(
    app: Flask, tmp_path: Path, keys: tuple[str, str]
) -> None:
    import_subset(tmp_path)
    report = check_interactions(medicines(*(drug(key) for key in keys)))
    assert len(report.pairs) == 1
    top = report.pairs[0].statements[0]
    assert top.severity == Severity.PRECAUTION
    assert top.source == "ansm" and top.source_date is not None
    assert "hepatic metabolism of the cholesterol lowering agent" in top.mechanism
    assert top.advice.startswith("Use weaker doses")
    assert report.notice == "Informational only: ask your pharmacist or doctor."


def test_shipped_rules_put_contraindications_first(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)
    report = check_interactions(
        medicines(drug("atorvastatin"), drug("clarithromycin"), drug("simvastatin"))
    )
    assert report.pairs[0].severity == Severity.CONTRAINDICATED
    assert {report.pairs[0].first.label, report.pairs[0].second.label} == {
        "Clarithromycin",
        "Simvastatin",
    }
    assert {s.source for s in report.pairs[0].statements} == {"ansm", "onc"}


def test_shipped_class_rules_and_combinations_apply(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)
    bleeding = check_interactions(medicines(drug("warfarin"), drug("ibuprofen")))
    assert bleeding.pairs and bleeding.pairs[0].severity == Severity.NOT_RECOMMENDED
    assert any("Oral anticoagulants" in v for s in bleeding.pairs[0].statements for v in s.via)
    combo = check_interactions(medicines(drug("ezetimibe/atorvastatin"), drug("clarithromycin")))
    assert any("contains Atorvastatin" in s.via for s in combo.pairs[0].statements)


def test_two_medicines_with_the_same_ingredient_are_flagged(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)
    report = check_interactions(medicines(drug("acetaminophen"), drug("acetaminophen and codeine")))
    assert [shared for _a, _b, shared in report.duplicates] == ["Acetaminophen"]


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
