"""The words of an interaction rule: its condition, and the source's text as shown to readers.

An ANSM rule's severity often holds only in one case: "Contraindicated" for warfarin and
aspirin means at anti-inflammatory doses of aspirin. The translation puts that case either
as a dashed line that starts the advice ("- anti-inflammatory doses of ...") or as a lead-in
to the risk ("With the cimetidine used in doses >= 800 mg/day: ..."). `rule_condition` finds
it, at import, in the text exactly as shipped.

The source's wording is kept in the database as written, typos included; `readable` corrects
them for display only (a fixed list of misspellings found in the shipped rules, and the
translation's ">=1gr" and "anti--inflammatory" forms). Nothing here adds a fact.
"""

from __future__ import annotations

import re

# A dashed advice line that is an instruction or adds a period ("and during the 6 months
# following ..."), not the case the severity is stated for.
_NOT_A_CONDITION = re.compile(r"(if|avoid|use|do not|hydrate|monitor|and)\b", re.IGNORECASE)
# A risk text that opens with the case it is stated for, up to its one colon.
_LEAD_IN = re.compile(
    r"(with|for|in case of|when|except|aside from|in patients|in women|in the patient)\b",
    re.IGNORECASE,
)
_MAX_CONDITION = 300

# Misspellings in the shipped ANSM translation (word -> correct word), corrected on display.
_SPELLING = {
    "acetylsalicyclic": "acetylsalicylic",
    "administerd": "administered",
    "ampernavir": "amprenavir",
    "anatalgic": "analgesic",
    "andrenergic": "adrenergic",
    "angiodema": "angioedema",
    "antiagregation": "antiaggregation",
    "antiarrythmics": "antiarrhythmics",
    "antiemitic": "antiemetic",
    "arryhthmias": "arrhythmias",
    "arrythmias": "arrhythmias",
    "atanazavir": "atazanavir",
    "atorvaquone": "atovaquone",
    "beforhand": "beforehand",
    "carbamazipine": "carbamazepine",
    "chlosterol": "cholesterol",
    "ciclosprorin": "ciclosporin",
    "cimetadine": "cimetidine",
    "clarithyromycin": "clarithromycin",
    "clinincal": "clinical",
    "concentations": "concentrations",
    "concentratioins": "concentrations",
    "concentratons": "concentrations",
    "contentration": "concentration",
    "decease": "decrease",
    "dexmethasone": "dexamethasone",
    "digoninemia": "digoxinemia",
    "digxoin": "digoxin",
    "dihydorpyridine": "dihydropyridine",
    "drodedarone": "dronedarone",
    "extremeties": "extremities",
    "felcainide": "flecainide",
    "flecanaide": "flecainide",
    "flucoonazole": "fluconazole",
    "fluoroquinlones": "fluoroquinolones",
    "fluourouracil": "fluorouracil",
    "gemfiborzil": "gemfibrozil",
    "glucocorticods": "glucocorticoids",
    "glucocorticoides": "glucocorticoids",
    "hemeostasis": "hemostasis",
    "hemorrage": "hemorrhage",
    "hemorraghic": "hemorrhagic",
    "hepatoxicity": "hepatotoxicity",
    "hydroxycloroquine": "hydroxychloroquine",
    "hypoglyclemia": "hypoglycemia",
    "hyypoglycemia": "hypoglycemia",
    "incresed": "increased",
    "inhibiter": "inhibitor",
    "intraconazole": "itraconazole",
    "irutinib": "ibrutinib",
    "leaset": "least",
    "ledispasvir": "ledipasvir",
    "mecanism": "mechanism",
    "metabolisn": "metabolism",
    "metabolsim": "metabolism",
    "metaolism": "metabolism",
    "metoblism": "metabolism",
    "methodone": "methadone",
    "methomoglobinizing": "methemoglobinizing",
    "methothrexate": "methotrexate",
    "methotrezate": "methotrexate",
    "metopolol": "metoprolol",
    "minimun": "minimum",
    "monitorinig": "monitoring",
    "nefidipine": "nifedipine",
    "neuropleptic": "neuroleptic",
    "olaparid": "olaparib",
    "ombitsavir": "ombitasvir",
    "opiods": "opioids",
    "paritapevir": "paritaprevir",
    "perampenel": "perampanel",
    "pheyntoin": "phenytoin",
    "phospodiesterase": "phosphodiesterase",
    "praziquantal": "praziquantel",
    "propafanone": "propafenone",
    "refampicin": "rifampicin",
    "repaglinde": "repaglinide",
    "rhabdomyolisis": "rhabdomyolysis",
    "rhabdomyolosis": "rhabdomyolysis",
    "rifampacin": "rifampicin",
    "rifampcin": "rifampicin",
    "ripampicin": "rifampicin",
    "sofobusvir": "sofosbuvir",
    "sufonamide": "sulfonamide",
    "sulcralfate": "sucralfate",
    "theohyllinemia": "theophyllinemia",
    "thrombolitic": "thrombolytic",
    "vanlafaxine": "venlafaxine",
    "vasidilator": "vasodilator",
    "vasodilater": "vasodilator",
    "vicamine": "vincamine",
    "wth": "with",
}
_WORD = re.compile(r"[A-Za-z]+")
# Fixed phrases: "does" is a word, but not in "anti-inflammatory does of".
_PHRASES = ((re.compile(r"\binflammatory does\b", re.IGNORECASE), "inflammatory doses"),)
_SIGNS = (
    (re.compile(r">\s*or\s*=\s*(?:to\s+)?"), "≥ "),
    (re.compile(r">=\s*"), "≥ "),
    (re.compile(r"<=\s*"), "≤ "),
    (re.compile(r"(?<![-\w])([<>])\s*(?=\d)"), r"\1 "),
    (re.compile(r"(?<=\w)-{2,}(?=\w)"), "-"),
    # "1g", "3gr", "3 gr": grams (the French "g"), as "1 g".
    (re.compile(r"(?<=\d)\s*(?:gr|g)\b"), " g"),
    (re.compile(r"(?<=\d)(mg|ml|IU)\b"), r" \1"),
    (re.compile(r"\s{2,}"), " "),
)


def rule_condition(mechanism: str, advice: str) -> str:
    """The case a rule's severity is stated for, in the source's words ("" for always)."""
    first = advice.strip()
    if first.startswith("-"):
        item = first.lstrip("- ").strip()
        item = item.split(": ", 1)[0].strip()
        if item and not _NOT_A_CONDITION.match(item) and len(item) <= _MAX_CONDITION:
            return item.rstrip(".")
    risk = mechanism.strip()
    if _LEAD_IN.match(risk) and risk.count(": ") == 1:
        lead = risk.split(": ", 1)[0].strip()
        if len(lead) <= _MAX_CONDITION:
            return lead
    return ""


def without_condition(text: str, condition: str) -> str:
    """A risk or advice text without the condition it opens with (shown apart)."""
    if not condition:
        return text
    body = text.strip().lstrip("- ").strip()
    if not body.startswith(condition):
        return text
    rest = body[len(condition) :].lstrip(" .:,")
    return rest[:1].upper() + rest[1:] if rest else ""


def readable(text: str) -> str:
    """The source's text for readers: known misspellings and number forms corrected."""
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    text = _WORD.sub(_corrected, text)
    for pattern, replacement in _SIGNS:
        text = pattern.sub(replacement, text)
    return text.strip().lstrip("- ").strip()


def _corrected(match: re.Match[str]) -> str:
    word = match.group(0)
    fixed = _SPELLING.get(word.lower())
    if fixed is None:
        return word
    if word.isupper() and len(word) > 1:
        return fixed.upper()
    return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed
