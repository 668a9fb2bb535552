"""MedQuAD answers for a question: the focus (condition) it names and the best record of it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from tools.build_seed_data.routing import Router

Record = dict[str, Any]
ANSWER_MAX_CHARS = 3000


def _drop_trailing_headings(text: str) -> str:
    """Remove short unpunctuated last lines ("Medicines") left dangling by a cut."""
    lines = text.rstrip().split("\n")
    while len(lines) > 1 and len(lines[-1]) < 80 and not re.search(r"[.!?;)\"]\s*$", lines[-1]):
        lines.pop()
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
    return "\n".join(lines).rstrip()


def trim_answer(text: str, limit: int = ANSWER_MAX_CHARS) -> str:
    """Cut a long answer at a paragraph, else a sentence, else a word boundary."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    paragraph = head.rfind("\n\n")
    if paragraph >= limit // 2:
        trimmed = _drop_trailing_headings(head[:paragraph])
        if len(trimmed) >= limit // 2:
            return trimmed
    sentence_ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", head)]
    if sentence_ends and sentence_ends[-1] >= limit // 2:
        return head[: sentence_ends[-1]].rstrip()
    space = head[: limit - 1].rfind(" ")
    return head[:space].rstrip() + "…"


TOKEN_RE = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, possessive "'s" dropped and a plural "s" stripped."""
    lowered = re.sub(r"['\u2019]s\b", "", text.lower())
    return [t[:-1] if len(t) > 3 and t.endswith("s") else t for t in TOKEN_RE.findall(lowered)]


def contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(list(haystack[i : i + n]) == list(needle) for i in range(len(haystack) - n + 1))


# Focus names too general to count as "the question is about this".
GENERIC_FOCUS = {
    "pain",
    "cancer",
    "surgery",
    "medicine",
    "test",
    "infection",
    "health",
    "disease",
    "syndrome",
    "disorder",
    "exercise",
    "nutrition",
    "diet",
    "drug",
    "symptom",
    "child",
    "women",
    "men",
    "senior",
    "genetic",
    "genetic disorder",
    "rare disease",
    "treatment",
    "vitamin",
    "mineral",
    "tumor",
    "blood",
    "clinical trial",
    "stem cell",
    "caregiver",
}
# Consumer words and abbreviations that name a MedQuAD focus its own title does not spell out.
EXTRA_ALIASES: dict[str, str] = {
    "als": "Amyotrophic Lateral Sclerosis",
    "amlodipine": "Blood Pressure Medicines",
    "asbestosis": "Asbestos-Related Lung Diseases",
    "atenolol": "Blood Pressure Medicines",
    "blocked leg arteries": "Peripheral Artery Disease",
    "blood pressure": "High Blood Pressure",
    "bone marrow": "Bone Marrow Diseases",
    "c-pap": "Sleep Apnea",
    "cpap": "Sleep Apnea",
    "coughing": "Cough",
    "digestive disorders": "Digestive Diseases",
    "esophageal disorders": "Esophagus Disorders",
    "fibroadenoma": "Breast Diseases",
    "forgetfulness": "Memory",
    "glucose levels": "Blood Sugar",
    "hemorrhoidectomy": "Hemorrhoids",
    "hepatic": "Liver Diseases",
    "herbs": "Herbal Medicine",
    "ibs": "Irritable Bowel Syndrome",
    "metformin": "Diabetes Medicines",
    "neuropathy": "Peripheral Neuropathy",
    "novolin": "Diabetes Medicines",
    "novolog": "Diabetes Medicines",
    "oxygen": "Oxygen Therapy",
    "pancreatic adenocarcinoma": "Pancreatic Cancer",
    "poor circulation in the legs": "Peripheral Artery Disease",
    "psa": "Prostate Cancer Screening",
    "ptsd": "Post-Traumatic Stress Disorder",
    "shortness of breath": "Breathing Problems",
    "small bowel": "Small Intestine Disorders",
    "small intestine": "Small Intestine Disorders",
    "thyroid": "Thyroid Diseases",
    "tracheomalacia": "Tracheal Disorders",
    "tracheostomy": "Tracheal Disorders",
    "vomiting": "Nausea and Vomiting",
}
FOCUS_PREFIX_RE = re.compile(r"^(?:what i need to know about|what you need to know about)\s+", re.I)

# Sources preferred for answers, best first (readable summaries before rare-disease records).
SOURCE_RANK = {
    name: rank
    for rank, name in enumerate(
        [
            "MPlusHealthTopics",
            "NIDDK",
            "NHLBI",
            "CancerGov",
            "NINDS",
            "CDC",
            "NIHSeniorHealth",
            "GHR",
            "GARD",
        ]
    )
}

QTYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("inheritance", re.compile(r"inherit|hereditar|genetic|run in (?:the )?famil", re.I)),
    ("exams and tests", re.compile(r"diagnos|\btests?\b|testing|detect", re.I)),
    ("causes", re.compile(r"\bcaus|\bwhy\b", re.I)),
    ("prevention", re.compile(r"prevent", re.I)),
    ("outlook", re.compile(r"prognosis|outlook|life expectancy|survival|cured?\b", re.I)),
    ("symptoms", re.compile(r"symptom|signs?\b", re.I)),
    ("susceptibility", re.compile(r"\brisks?\b|at risk|contagious", re.I)),
    ("complications", re.compile(r"complication", re.I)),
    ("treatment", re.compile(r"treat|therap|cure|medication|remed|manage|surgery", re.I)),
]


def focus_aliases(focus: str) -> list[list[str]]:
    """Token sequences that name a MedQuAD focus, e.g. "Kidney Stones (Nephrolithiasis)"."""
    base = FOCUS_PREFIX_RE.sub("", focus).strip()
    names = [re.sub(r"\s*\([^)]*\)", "", base), *re.findall(r"\(([^)]*)\)", base)]
    aliases: list[list[str]] = []
    for name in names:
        toks = tokens(name)
        if not toks or " ".join(toks) in GENERIC_FOCUS:
            continue
        if len(toks) == 1 and len(toks[0]) < 4:
            continue  # short acronyms ("ms", "pad") are too ambiguous
        if toks not in aliases:
            aliases.append(toks)
    return aliases


def usable_answer(record: Record) -> bool:
    """Skip empty answers and NCI excerpts that point readers to other PDQ summaries."""
    answer = str(record["answer"]).strip()
    if len(answer) < 80:
        return False
    return not (record["source"] == "CancerGov" and "PDQ" in answer)


class FocusIndex:
    def __init__(self, records: Sequence[Record], router: Router) -> None:
        self.by_focus: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            if record["focus"] and usable_answer(record):
                self.by_focus[record["focus"]].append(record)
        self.aliases: list[tuple[list[str], str]] = []
        self.topic_of: dict[str, int | None] = {}
        for focus in sorted(self.by_focus):
            self.topic_of[focus] = router.topic_for_phrase(FOCUS_PREFIX_RE.sub("", focus))
            for alias in focus_aliases(focus):
                self.aliases.append((alias, focus))
        for phrase, focus in sorted(EXTRA_ALIASES.items()):
            if focus in self.by_focus:
                self.aliases.append((tokens(phrase), focus))

    def best_focus(self, title: str, body: str, topic_index: int) -> str | None:
        """The most specific focus named in the title (one of the question's own topic first),
        else a multi-word focus of the same topic named in the body."""
        title_tokens = tokens(title)
        body_tokens = tokens(body)
        best: tuple[tuple[int, int, int, int, int], str] | None = None
        for alias, focus in self.aliases:
            same_topic = self.topic_of[focus] == topic_index
            in_title = contains_run(title_tokens, alias)
            if not in_title and not (
                same_topic and len(alias) >= 2 and contains_run(body_tokens, alias)
            ):
                continue
            records = self.by_focus[focus]
            preferred = min(SOURCE_RANK.get(r["source"], 99) for r in records)
            key = (
                int(in_title),
                int(same_topic),
                len(alias),
                sum(len(t) for t in alias),
                -preferred,
            )
            if best is None or key > best[0]:
                best = (key, focus)
        return None if best is None else best[1]

    def best_record(self, focus: str, title: str) -> Record:
        wanted = [qtype for qtype, cue in QTYPE_CUES if cue.search(title)]
        about_pregnancy = bool(re.search(r"pregnan", title, re.I))

        def rank(record: Record) -> tuple[int, int, int, int, str]:
            qtype = record["qtype"]
            if qtype in wanted:
                type_rank = wanted.index(qtype)
            elif qtype == "information":
                type_rank = len(wanted)
            else:
                type_rank = len(wanted) + 1
            # cancer.gov has separate pages for cancer during pregnancy under the same focus.
            off_target = not about_pregnancy and "pregnan" in str(record["url"]).lower()
            return (
                int(off_target),
                type_rank,
                SOURCE_RANK.get(record["source"], 99),
                int(len(record["answer"]) > 4 * ANSWER_MAX_CHARS),
                record["id"],
            )

        return min(self.by_focus[focus], key=rank)
