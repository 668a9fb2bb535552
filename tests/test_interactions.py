"""Interaction matching: drug and class rules, ingredients, both orders, severity, unknowns
and the shipped rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from forum.drugs.importer import class_label
from forum.drugs.interactions import Medicine, check_interactions
from forum.extensions import db
from forum.models import DrugIngredient, Severity
from tests.drug_data import drug, import_subset
from tests.interaction_support import make_class, make_drug, make_rule, medicines
from tests.test_query_counts import counting_statements

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
    with counting_statements() as statements:
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
