"""The interaction part of build_drug_data.py: ANSM rules and classes, ONC high-priority pairs.

ANSM (French national thesaurus, WorldVistA English translation, Sept 2016): drug-drug,
class-drug and class-class rules; each pair appears in both drugs' tables, so pairs are
folded into one rule (the most severe). Class names in rules that differ from the class list
by typos are mapped to their class (CLASS_ALIASES); "OTHER X" means the other members of X.

ONC (Phansalkar et al., JAMIA 2012): drug pairs in 15 groups, all "avoid the combination".
The group texts below summarize each group's risk in plain words for the forum; they are the
forum's editorial wording, not text from the paper.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

Resolve = Callable[[str], str | None]
WriteCsv = Callable[[Path, list[str], Iterable[list[str]]], None]

SEVERITY_RANK = {
    "contraindicated": 5,
    "high": 4,
    "not_recommended": 3,
    "precaution": 2,
    "take_into_account": 1,
    "unspecified": 0,
}
CLASS_ALIASES = {
    "ENZYMATIC INDUCERS": "ENZYME INDUCERS",
    "OMBITASVIR PARITAPREVIR": "OMBITASVIR PARITAPEVIR",
    "OMBITASVIR PARITAPRVIR": "OMBITASVIR PARITAPEVIR",
    "OMBITASVIR PARITAPVIR": "OMBITASVIR PARITAPEVIR",
    "CLASS IA ANTIARRHYTHMICS": "CLASS IA ANTIARRYTHMICS",
    "CLASS I ANTIARRHYTHMICS EXCEPT LIDOCAINE": "CLASS I ANTIARYTHMICS EXCEPT LIDOCAINE",
    "PLATINUM BASED ANTINEOPLASTIC CANCER DRUGS": "PLATINUM BASED ANTINEOPLASTIC DRUGS",
    "CATECHOL O METHYLTRANSFERASE INHIBITORS COMT": (
        "INHIBITORS OF CATECHOL O METHYLTRANSFERASE COMT"
    ),
    "STRONG INHIBITORS OF CYP3A": "STRONG INHIBITORS OF CYP3A4",
    "MEDICATIONS THAT TEND TO INDUCE TORSADES DE POINTES": (
        "SUBSTANCES THAT TEND TO INDUCE TORSADES DE POINTES"
    ),
    "SELECTIVE SEROTONIN REUPTAKE INHIBITORS SSR1S": (
        "SELECTIVE SEROTONIN REUPTAKE INHIBITORS SSRIS"
    ),
    "ALPHA SYMPATHOMIMETICS ORAL AND OR NASAL ROUTES": "ALPHA SYMPATHOMIMETICS ORAL AND OR NASAL",
}
# ANSM spellings (French forms, typos, truncated names) the dictionary does not know.
ANSM_NAMES = {
    "alcohol": "ethanol", "alcohol (drink or ingredient)": "ethanol",
    "alcohol (drink of ingredient)": "ethanol", "adrenaline": "epinephrine",
    "adrenaline (oral-dental or sub-cutaneous)": "epinephrine", "strontium": "strontium ranelate",
    "tenefovir alafenamide": "tenofovir alafenamide", "carbamazapine": "carbamazepine",
    "ondanstron": "ondansetron", "alrrazolam": "alprazolam", "theine": "caffeine",
    "gragefruit (juice and fruit)": "grapefruit", "dimethyl (fumerate of)": "dimethyl fumarate",
    "moxonidin": "moxonidine", "chloroquin": "chloroquine",
    "esclicarbazepine": "eslicarbazepine", "trinitrine known as nitroglycerin in the us": (
        "nitroglycerin"
    ), "sene": "senna", "sene of india": "senna", "thyroxines": "levothyroxine",
    "alteplase recombinant": "alteplase", "sodium picosulfate": "picosulfuric acid",
    "methylene blue or methylthioninium chloride": "methylene blue",
    "perindopril tert-butylamine": "perindopril", "dexketoprofen trometamol": "dexketoprofen",
    "piroxicam-betadex": "piroxicam", "iloprost trometamol": "iloprost",
    "lanthane": "lanthanum carbonate", "loflazepate": "ethyl loflazepate",
    "anfacine": "guanfacine", "amipril": "ramipril", "ilmenidine": "rilmenidine",
    "apidil": "urapidil", "e: diphenhydramine": "diphenhydramine",
}  # fmt: skip
ONC_AVOID = "Avoid taking these together. Ask your prescriber or pharmacist about alternatives."
ONC_GROUPS = {
    "3": ("Amphetamines and MAO inhibitors", "Risk of a dangerous rise in blood pressure."),
    "4": (
        "Atazanavir and proton pump inhibitors",
        "Less atazanavir is absorbed: HIV treatment may stop working.",
    ),
    "6": (
        "Febuxostat and azathioprine or mercaptopurine",
        "Higher azathioprine or mercaptopurine levels: risk of bone marrow damage.",
    ),
    "8": (
        "SSRIs or SNRIs and MAO inhibitors",
        "Risk of serotonin syndrome (agitation, fever, fast heartbeat).",
    ),
    "11": (
        "Irinotecan and CYP3A4 inhibitors",
        "More of irinotecan's active form: risk of severe side effects.",
    ),
    "16": (
        "Opioid painkillers and MAO inhibitors",
        "Risk of serotonin syndrome or severe reactions.",
    ),
    "20": (
        "Tricyclic antidepressants and MAO inhibitors",
        "Risk of serotonin syndrome and dangerous rises in blood pressure.",
    ),
    "21": (
        "Two medicines that prolong the QT interval",
        "Added effect on the heart rhythm: risk of a dangerous irregular heartbeat "
        "(torsades de pointes).",
    ),
    "22": (
        "Ramelteon and CYP1A2 inhibitors",
        "Much higher ramelteon levels: stronger, longer sleepiness.",
    ),
    "23": (
        "Protease inhibitors and strong CYP3A4 inducers",
        "Lower protease inhibitor levels: HIV treatment may stop working.",
    ),
    "25": (
        "Simvastatin or lovastatin and CYP3A4 inhibitors",
        "Higher statin levels: risk of muscle damage (rhabdomyolysis).",
    ),
    "27": (
        "Ergot medicines and CYP3A4 inhibitors",
        "Higher ergot levels: risk of severe narrowing of blood vessels (ergotism).",
    ),
    "28": (
        "Tizanidine and CYP1A2 inhibitors",
        "Much higher tizanidine levels: very low blood pressure and drowsiness.",
    ),
    "30": ("Tranylcypromine and procarbazine", "Risk of a dangerous rise in blood pressure."),
    "31": ("Triptans and MAO inhibitors", "Higher triptan levels and risk of serotonin syndrome."),
}
RULE_HEADER = [
    "source",
    "ref",
    "kind1",
    "item1",
    "kind2",
    "item2",
    "severity",
    "mechanism",
    "advice",
]


def class_key(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", name.upper()).strip()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


@dataclass
class Interactions:
    """Class members and rules, keyed by canonical drug keys and class keys."""

    class_names: dict[str, str] = field(default_factory=dict)
    members: set[tuple[str, str]] = field(default_factory=set)
    rules: list[list[str]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def drug_keys(self) -> set[str]:
        keys = {drug for _, drug in self.members}
        for rule in self.rules:
            keys.update(rule[i + 1] for i in (2, 4) if rule[i] == "drug")
        return keys

    def counts(self) -> dict[str, int]:
        by_source: dict[str, int] = defaultdict(int)
        for rule in self.rules:
            by_source[f"{rule[0]}_rules"] += 1
        return {"classes": len(self.class_names), "class_members": len(self.members), **by_source}

    def write(self, out: Path, write_csv: WriteCsv) -> None:
        write_csv(
            out / "interaction_classes.csv",
            ["source", "class", "name", "key"],
            (["ansm", c, self.class_names[c], k] for c, k in sorted(self.members)),
        )
        write_csv(out / "interaction_rules.csv.gz", RULE_HEADER, self.rules)


def build_interactions(data: Path, resolve: Resolve, drugbank: dict[str, str]) -> Interactions:
    found = Interactions()

    def resolve_ansm(name: str) -> str | None:
        """ANSM names: as written, a known misspelling, or a French "-ine" for "-in"."""
        plain = " ".join(name.lower().split())
        found_key = resolve(ANSM_NAMES.get(plain, plain))
        if found_key is None and plain.endswith("e"):
            found_key = resolve(plain[:-1])
        return found_key

    _ansm(data / "ddi_ansm_worldvista_en", resolve_ansm, found)
    _onc(data / "ddi_onc_high_priority", resolve, drugbank, found)
    for reason, count in sorted(found.skipped.items()):
        print(f"skipped {count}: {reason}")
    return found


def _ansm(folder: Path, resolve: Resolve, found: Interactions) -> None:
    for row in read_csv(folder / "ansm_class_members.csv"):
        key = class_key(row["class_name"])
        drug = resolve(row["drug_name"])
        if drug is None:
            found.skipped["ANSM class member not in the dictionary"] += 1
            continue
        found.class_names.setdefault(key, row["class_name"].strip())
        found.members.add((key, drug))
    best: dict[frozenset[tuple[str, str]], tuple[tuple[int, int, int], list[str]]] = {}
    for row in read_csv(folder / "ansm_interaction_rules.csv"):
        items = [_ansm_item(row, n, resolve, found) for n in ("1", "2")]
        if items[0] is None or items[1] is None:
            found.skipped["ANSM rule with an unknown drug or class"] += 1
            continue
        severity = row["severity_normalized"] or "unspecified"
        rule = [
            "ansm", row["rule_id"], *items[0], *items[1], severity,
            _clean(row["description"]), _clean(row["management_comment"]),
        ]  # fmt: skip
        rank = (SEVERITY_RANK[severity], bool(rule[8]), -int(row["rule_id"]))
        pair = frozenset([items[0], items[1]])
        if pair not in best or rank > best[pair][0]:
            best[pair] = (rank, rule)
    found.rules.extend(sorted((r for _, r in best.values()), key=lambda r: int(r[1])))


def _ansm_item(
    row: dict[str, str], n: str, resolve: Resolve, found: Interactions
) -> tuple[str, str] | None:
    if row[f"item{n}_type"] == "drug":
        drug = resolve(row[f"item{n}_name"])
        return ("drug", drug) if drug else None
    key = class_key(row[f"item{n}_class_key"] or row[f"item{n}_name"])
    resolved = _resolve_class(key, found.class_names)
    return ("class", resolved) if resolved else None


def _resolve_class(key: str, known: dict[str, str]) -> str | None:
    for candidate in (key, key.removeprefix("OTHER ")):
        candidate = CLASS_ALIASES.get(candidate, candidate)
        if candidate in known:
            return candidate
    close = difflib.get_close_matches(key.removeprefix("OTHER "), list(known), n=1, cutoff=0.9)
    return close[0] if close else None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _onc(folder: Path, resolve: Resolve, drugbank: dict[str, str], found: Interactions) -> None:
    pairs: dict[frozenset[str], str] = {}
    sides: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for row in read_csv(folder / "onc_high_priority_revised_table2_pairs.csv"):
        a, b = resolve(row["object_drug"]), resolve(row["precipitant_drug"])
        if a and b and a != b:
            pairs.setdefault(frozenset([a, b]), row["table2_row"])
            sides[row["table2_row"]][0].add(a)
            sides[row["table2_row"]][1].add(b)
        else:
            found.skipped["ONC table 2 pair with an unknown drug"] += 1
    # Row 23 lists "NSAID" among the protease inhibitors (an upstream slip); the mapped
    # pairs have atazanavir there.
    sides["23"][0].add("atazanavir")
    for row in read_csv(folder / "onc_high_priority_drugbank_mapped_pairs.csv"):
        a = drugbank.get(row["drug1_drugbank_id"]) or resolve(row["drug1"])
        b = drugbank.get(row["drug2_drugbank_id"]) or resolve(row["drug2"])
        if not (a and b) or a == b:
            found.skipped["ONC mapped pair with an unknown drug"] += 1
        elif frozenset([a, b]) not in pairs:
            pairs[frozenset([a, b])] = _onc_group(a, b, sides)
    for pair, group in sorted(pairs.items(), key=lambda item: sorted(item[0])):
        a, b = sorted(pair)
        label, risk = ONC_GROUPS[group]
        found.rules.append(
            ["onc", group, "drug", a, "drug", b, "high", f"{label}: {risk}", ONC_AVOID]
        )


def _onc_group(a: str, b: str, sides: dict[str, tuple[set[str], set[str]]]) -> str:
    """The Table 2 group whose two sides hold the pair; otherwise the QT-prolonging group
    (row 21 has no drug list in Table 2: the mapped pairs expand it)."""
    for group, (objects, precipitants) in sides.items():
        if (a in objects and b in precipitants) or (b in objects and a in precipitants):
            return group
    return "21"
