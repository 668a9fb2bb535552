"""Build the demo data files in `forum/seed/data/` from two public health datasets.

This is a maintainer tool: the app never runs it and never imports it. It only needs the
standard library and the two read-only source datasets:

    python forum/seed/build_data.py /work/shared/data

reads `meqsum/meqsum_consumer_questions.jsonl` (MeQSum, CC BY 4.0: real anonymous consumer
messages sent to the U.S. National Library of Medicine) and `medquad/medquad_qa.jsonl` (MedQuAD,
CC BY 4.0; answer texts are U.S. Government public-domain web pages), and writes
`topics.json`, `questions.jsonl`, `answers.jsonl`, `reference_qa.jsonl` and `ATTRIBUTION.md`.
The output is deterministic: the same input gives byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypedDict

OUT_DIR = Path(__file__).resolve().parent / "data"

QUESTIONS_TOTAL = 160
QUESTIONS_PER_TOPIC = 20
REFERENCE_TOTAL = 400
ANSWER_MAX_CHARS = 3000
TITLE_MIN, TITLE_MAX = 10, 150
BODY_MIN, BODY_MAX = 60, 1500
MAX_TAGS = 3

Record = dict[str, Any]


class Community(TypedDict):
    slug: str
    name: str
    description: str
    rules: str
    private: bool
    allow_anonymous: bool


class Topic(TypedDict):
    slug: str
    name: str
    summary: str
    keywords: list[str]
    communities: list[Community]


PUBLIC_RULES = (
    "Be kind and stay on topic. Share experiences, not diagnoses: nothing here replaces advice "
    "from your own doctor. Do not post names, contact details or other identifying information "
    "about yourself or others. No advertising or selling of treatments."
)
PRIVATE_RULES = (
    "What is shared in this group stays in this group: do not quote or screenshot posts "
    "elsewhere. You may post anonymously. Be gentle, offer support rather than instructions, "
    "and do not give out contact details. Moderators approve every new member."
)


def _community(
    slug: str, name: str, description: str, *, private: bool = False, anonymous: bool = False
) -> Community:
    return {
        "slug": slug,
        "name": name,
        "description": description,
        "rules": PRIVATE_RULES if private else PUBLIC_RULES,
        "private": private,
        "allow_anonymous": anonymous or private,
    }


# Topic order matters: on equal keyword scores the earlier topic wins (so "lung cancer" goes to
# Cancer, not Lung Health). Keywords are lower-case words or phrases, matched on word boundaries
# with an optional plural "s"/"es".
TOPICS: list[Topic] = [
    {
        "slug": "diabetes",
        "name": "Diabetes & Hormones",
        "summary": (
            "Type 1, type 2 and gestational diabetes, blood sugar and insulin, plus the thyroid "
            "and other hormone glands that often come up alongside them."
        ),
        "keywords": [
            "diabetes",
            "diabetic",
            "prediabetes",
            "insulin",
            "blood sugar",
            "glucose",
            "a1c",
            "metformin",
            "glyburide",
            "hypoglycemia",
            "hyperglycemia",
            "thyroid",
            "hypothyroidism",
            "hyperthyroidism",
            "levothyroxine",
            "goiter",
            "hashimoto",
            "graves",
            "pituitary",
            "adrenal",
            "cortisol",
            "endocrine",
            "panhypopituitarism",
            "novolin",
            "novolog",
        ],
        "communities": [
            _community(
                "diabetes-questions",
                "Diabetes & hormones: questions and answers",
                "Ask about diabetes, blood sugar, insulin, thyroid and other hormone conditions.",
            ),
            _community(
                "diabetes-everyday-living",
                "Everyday living with diabetes",
                "Food, exercise, glucose meters and the small daily routines of living well.",
            ),
        ],
    },
    {
        "slug": "heart-health",
        "name": "Heart Health",
        "summary": (
            "Heart disease, blood pressure, cholesterol and circulation. Ask questions and learn "
            "how to look after your heart and blood vessels."
        ),
        "keywords": [
            "heart",
            "cardiac",
            "cardiovascular",
            "blood pressure",
            "hypertension",
            "hypotension",
            "cholesterol",
            "arrhythmia",
            "atrial fibrillation",
            "palpitation",
            "coronary",
            "angina",
            "pacemaker",
            "heart attack",
            "heart failure",
            "artery",
            "arteries",
            "arterial",
            "aortic",
            "valve",
            "blood clot",
            "thrombosis",
            "varicose",
            "circulation",
            "statin",
            "atorvastatin",
            "lisinopril",
            "amlodipine",
            "atenolol",
            "warfarin",
            "digoxin",
            "edema",
            "vascular",
            "aneurysm",
            "chest pain",
            "cardiomegaly",
            "bundle branch block",
            "nifedipine",
            "lipitor",
            "inderal",
        ],
        "communities": [
            _community(
                "heart-health-questions",
                "Heart health: questions and answers",
                "Ask about heart conditions, blood pressure, cholesterol and circulation.",
            ),
            _community(
                "heart-healthy-habits",
                "Heart-healthy habits",
                "Swap tips on eating well, staying active and keeping blood pressure in check.",
            ),
        ],
    },
    {
        "slug": "cancer",
        "name": "Cancer",
        "summary": (
            "Breast, lung, colon, prostate, skin and blood cancers: diagnosis, treatment and "
            "life after treatment. Patients, survivors and caregivers are all welcome."
        ),
        "keywords": [
            "cancer",
            "cancerous",
            "tumor",
            "tumour",
            "malignant",
            "malignancy",
            "metastatic",
            "metastases",
            "carcinoma",
            "adenocarcinoma",
            "sarcoma",
            "melanoma",
            "leukemia",
            "lymphoma",
            "myeloma",
            "glioma",
            "chemotherapy",
            "chemo",
            "radiation therapy",
            "oncologist",
            "mastectomy",
            "letrozole",
            "tamoxifen",
            "arimidex",
            "mammogram",
            "rhabdomyosarcoma",
            "pheochromocytoma",
            "fibroadenoma",
            "thyroid cancer",
        ],
        "communities": [
            _community(
                "cancer-questions",
                "Cancer: questions and answers",
                "Ask about any type of cancer, tests, treatments and side effects.",
            ),
            _community(
                "living-with-cancer",
                "Living with cancer: private support group",
                "A members-only space for people with cancer and those who care for them.",
                private=True,
            ),
        ],
    },
    {
        "slug": "lung-health",
        "name": "Lung Health: Asthma & COPD",
        "summary": (
            "Asthma, COPD, pneumonia and other lung and breathing problems. Learn about "
            "inhalers, oxygen and living with a long-term lung condition."
        ),
        "keywords": [
            "lung",
            "pulmonary",
            "asthma",
            "copd",
            "emphysema",
            "bronchitis",
            "bronchiectasis",
            "pneumonia",
            "inhaler",
            "breathing",
            "shortness of breath",
            "wheezing",
            "cough",
            "coughing",
            "tuberculosis",
            "sleep apnea",
            "apnea",
            "cystic fibrosis",
            "respiratory",
            "trachea",
            "tracheomalacia",
            "oxygen",
            "asbestosis",
            "pneumonitis",
            "tracheostomy",
            "cpap",
            "c-pap",
        ],
        "communities": [
            _community(
                "lung-health-questions",
                "Lung health: questions and answers",
                "Ask about asthma, COPD, lung infections and breathing problems.",
            ),
            _community(
                "breathe-easier",
                "Breathe easier: asthma & COPD tips",
                "Share what helps: inhaler technique, pulmonary rehab, triggers and travel.",
            ),
        ],
    },
    {
        "slug": "mental-health",
        "name": "Mental Health",
        "summary": (
            "Depression, anxiety, bipolar disorder, ADHD, addiction and more. A safe place to ask "
            "questions; you can post anonymously."
        ),
        "keywords": [
            "depression",
            "depressed",
            "anxiety",
            "panic",
            "bipolar",
            "schizophrenia",
            "psychosis",
            "ptsd",
            "ocd",
            "adhd",
            "attention deficit",
            "autism",
            "mental",
            "psychiatrist",
            "psychiatric",
            "antidepressant",
            "suicidal",
            "suicide",
            "anorexia",
            "bulimia",
            "eating disorder",
            "addiction",
            "withdrawal",
            "alcoholism",
            "opiate",
            "anhedonia",
            "phobia",
            "insomnia",
            "stress",
            "bupropion",
            "wellbutrin",
            "risperidone",
            "heroin",
            "attachment disorder",
        ],
        "communities": [
            _community(
                "mental-health-questions",
                "Mental health: questions and answers",
                "Ask about mental health conditions, therapy and medication. Anonymous posts "
                "are allowed.",
                anonymous=True,
            ),
            _community(
                "mental-health-peer-support",
                "Mental health peer support: private group",
                "A members-only group to talk openly with others who understand.",
                private=True,
            ),
        ],
    },
    {
        "slug": "digestive-health",
        "name": "Digestive Health",
        "summary": (
            "Stomach, bowel, liver and gallbladder problems, from heartburn and IBS to hepatitis "
            "and Crohn's disease."
        ),
        "keywords": [
            "stomach",
            "bowel",
            "colon",
            "rectal",
            "gerd",
            "reflux",
            "heartburn",
            "ibs",
            "crohn",
            "colitis",
            "celiac",
            "liver",
            "hepatitis",
            "cirrhosis",
            "gallbladder",
            "gallstone",
            "pancreatitis",
            "esophagus",
            "esophageal",
            "esophagitis",
            "gastritis",
            "gastroparesis",
            "ulcer",
            "diarrhea",
            "constipation",
            "bloating",
            "flatulence",
            "nausea",
            "vomiting",
            "hemorrhoid",
            "hemorrhoidectomy",
            "abdominal",
            "digestive",
            "digestion",
            "lactose",
            "diverticulosis",
            "diverticulitis",
            "peristaltic",
            "gilbert",
            "hiatal hernia",
            "small intestine",
            "whipple",
            "antacid",
            "fecal incontinence",
            "bowel incontinence",
            "hepatic",
        ],
        "communities": [
            _community(
                "digestive-health-questions",
                "Digestive health: questions and answers",
                "Ask about the stomach, bowel, liver, gallbladder and pancreas.",
            ),
            _community(
                "gut-friendly-kitchen",
                "Gut-friendly kitchen",
                "Recipes and food tips for sensitive stomachs, reflux, IBS and special diets.",
            ),
        ],
    },
    {
        "slug": "kidney-health",
        "name": "Kidney & Urinary Health",
        "summary": (
            "Kidney disease, dialysis and transplant, kidney stones, bladder and prostate "
            "problems. Questions from patients and families are welcome."
        ),
        "keywords": [
            "kidney",
            "renal",
            "nephropathy",
            "nephrotic",
            "dialysis",
            "urinary",
            "urine",
            "urination",
            "bladder",
            "incontinence",
            "nocturia",
            "polyuria",
            "uti",
            "prostate",
            "urologist",
            "nephrologist",
            "psa",
            "prostatectomy",
            "nephrolithotomy",
            "nephrostomy",
            "vesicoureteral reflux",
        ],
        "communities": [
            _community(
                "kidney-health-questions",
                "Kidney & urinary health: questions and answers",
                "Ask about kidney disease, kidney stones, bladder and prostate problems.",
            ),
            _community(
                "dialysis-transplant-support",
                "Dialysis & transplant: private support group",
                "A members-only group for people on dialysis, transplant recipients and their "
                "families.",
                private=True,
            ),
        ],
    },
    {
        "slug": "brain-nerves",
        "name": "Brain & Nerves",
        "summary": (
            "Stroke, epilepsy, migraine, multiple sclerosis, Parkinson's disease, dementia and "
            "nerve pain. Ask about the brain, spinal cord and nerves."
        ),
        "keywords": [
            "brain",
            "nerve",
            "neurological",
            "neurologist",
            "neuropathy",
            "neuralgia",
            "seizure",
            "epilepsy",
            "migraine",
            "headache",
            "stroke",
            "parkinson",
            "multiple sclerosis",
            "dementia",
            "alzheimer",
            "ataxia",
            "als",
            "amyotrophic lateral sclerosis",
            "tremor",
            "numbness",
            "tingling",
            "spinal cord",
            "concussion",
            "muscular dystrophy",
            "spinal muscular atrophy",
            "sciatica",
            "palsy",
            "dystonia",
            "leukodystrophy",
            "leukoencephalopathy",
            "meningitis",
            "hydrocephalus",
            "gabapentin",
            "pregabalin",
            "memory",
            "forgetfulness",
            "tourette",
            "huntington",
            "myasthenia gravis",
            "stiff person",
            "paralysis",
            "head injury",
            "charcot-marie-tooth",
            "foot drop",
            "drop foot",
            "apraxia",
            "dyspraxia",
            "complex regional pain syndrome",
            "imitrex",
            "rizatriptan",
            "tecfidera",
            "phenobarbital",
            "post-polio",
            "vascular dementia",
        ],
        "communities": [
            _community(
                "brain-nerves-questions",
                "Brain & nerves: questions and answers",
                "Ask about neurological conditions, nerve pain, headaches and recovery after "
                "stroke.",
            ),
            _community(
                "dementia-caregivers",
                "Dementia caregivers: private support group",
                "A members-only group for people caring for someone with dementia or another "
                "brain condition.",
                private=True,
            ),
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# Privacy and suitability filters for MeQSum messages (deliberately over-cautious).

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(
    r"\+\d|\(\d{3}\)|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\b\d{3}[-.]\d{4}\b|\b\d{7,}\b"
    r"|\b\d{5}(?:-\d{4})?\b"  # long digit runs and ZIP-like numbers too
)
URL_RE = re.compile(
    r"(?i:https?://|\bwww\.)|\b[a-z0-9-]+\.(?:com|org|net|gov|edu|info|biz)\b"
    r"|\b[\w-]+\.(?:co|uk|in|de|au|ca|us)/"
)
STREET_RE = re.compile(
    r"\b\d+\s+(?:[A-Za-z]+\s+){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|lane|ln"
    r"|court|ct|highway|hwy|parkway|pkwy)\b\.?|\bp\.?\s?o\.?\s+box\b|\bapt\.?\s*#?\d|\bsuite\s+\d",
    re.I,
)
# De-identification placeholders left in the source ([NAME], [LOCATION], [CONTACT], ...).
PLACEHOLDER_RE = re.compile(r"\[[A-Z_]+\]")
NAME_INTRO_RE = re.compile(
    r"\bmy name is\b|\bi am (?:dr|mr|mrs|ms)\b|\bthis is (?:dr|mr|mrs|ms)\b", re.I
)
HONORIFIC_NAME_RE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof|Doctor|Sr|Sra)\.?\s+[A-Z][a-z]+")
SIGNOFF_RE = re.compile(
    r"\b(?:thanks?|thank[\s-]*(?:you|u)|regards|sincerely|cheers|best|respectfully|blessings|yours"
    r"|truly|appreciated?|love)\b",
    re.I,
)
# Capitalised words that are no sign of a name when they follow a sign-off.
COMMON_WORDS = frozenset(
    {
        "a", "advance", "again", "all", "alot", "and", "any", "appreciate", "best", "bless",
        "dear", "doctor", "doctors", "for", "god", "good", "great", "help", "hope", "i", "in",
        "kind", "kindly", "lot", "many", "much", "my", "now", "of", "please", "regards",
        "sincerely", "sir", "so", "soon", "thank", "thanks", "the", "time", "to", "u", "very",
        "waiting", "you", "your", "yours",
    }
)  # fmt: skip
# Forwarded e-mails, web-form dumps and other non-messages.
METADATA_RE = re.compile(
    r"\b(?:sent|from|to|subject|date):\s|mozilla|web browser|nlm product|user ?name|session ?id"
    r"|part_boundary",
    re.I,
)
# Summaries that are about products, logistics or trivia rather than a person's health.
NOT_PERSONAL_RE = re.compile(
    r"\b(?:ingredients?|manufactur\w*|who makes|gluten|generic version|stored|storing|potency"
    r"|dispose|approved|inactive|half life|history|states allow|organizations?|purchase|buy"
    r"|cost|price|insurance|latitude|differences? between .* medications)\b",
    re.I,
)
NOT_PERSONAL_MESSAGE_RE = re.compile(
    r"\b(?:dear colleague|my (?:thesis|dissertation|research project|class)"
    r"|i am a (?:student|researcher)|we are a|our company|i want to purchase)\b",
    re.I,
)
# Leftover words that would be links in the forum's own markup ("@name", "#tag").
FORUM_MARKUP_RE = re.compile(r"@|(?<!\S)#[a-z]")

# Messages the automatic filters let through but which a manual read rejected.
MANUAL_SKIP: dict[str, str] = {
    "meqsum-0075": "a pharmacist asking about a patient, not a personal question",
    "meqsum-0175": "names a small town next to a relative's mental health",
    "meqsum-0778": "addressed to NIH staff (pick up leaflets), identifies the writer's employer",
    "meqsum-0889": "a school research assignment, not a personal question",
    "meqsum-0953": "a professional asking for practice guidelines, not a personal question",
    "meqsum-0234": "graphic account of child sexual abuse: not for demo content",
    "meqsum-0247": "sexually explicit details about a third person",
}


def privacy_problem(text: str, *, signature: bool = True) -> str | None:
    """Return why a message must not be shown, or None if nothing was found."""
    checks: Sequence[tuple[str, re.Pattern[str]]] = (
        ("e-mail", EMAIL_RE),
        ("phone", PHONE_RE),
        ("url", URL_RE),
        ("street address", STREET_RE),
        ("placeholder", PLACEHOLDER_RE),
        ("name", NAME_INTRO_RE),
        ("name", HONORIFIC_NAME_RE),
        ("metadata", METADATA_RE),
        ("markup", FORUM_MARKUP_RE),
    )
    for reason, pattern in checks:
        if pattern.search(text):
            return reason
    if signature and looks_signed(text):
        return "signature"
    return None


def _has_unusual_capital(words: Iterable[str]) -> bool:
    return any(w[:1].isupper() and w.lower() not in COMMON_WORDS for w in words)


def looks_signed(text: str) -> bool:
    """True if the message seems to end with a name: "Thanks, Jo", "Kind regards\\nJo Bloggs".

    Any capitalised word after the last sign-off word, or a short last line made of
    capitalised words, counts (common words such as "Thank You" excepted).
    """
    tail = text[-120:]
    signoffs = list(SIGNOFF_RE.finditer(tail))
    if signoffs:
        after = re.findall(r"[A-Za-z]+", tail[signoffs[-1].end() :])
        if len(after) <= 5 and _has_unusual_capital(after):
            return True
    last_line = text.strip().splitlines()[-1] if text.strip() else ""
    words = re.findall(r"[A-Za-z]+", last_line)
    if 0 < len(words) <= 3 and all(w[:1].isupper() for w in words):
        return _has_unusual_capital(words)
    # "... my problem. Mary Smith" on the same line: two capitalised words after a full stop.
    if not re.search(r"[.!?,]\s*[A-Z][a-z]+\s+[A-Z][a-z]+\W*$", text):
        return False
    last_clause = re.split(r"[.!?,]", text.strip())[-1]
    return _has_unusual_capital(re.findall(r"[A-Za-z]+", last_clause))


def clean_body(message: str) -> str:
    """Collapse whitespace runs inside lines and blank-line runs; keep the words as written."""
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in message.splitlines()]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------
# Keyword routing.


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in keyword.split())
    return re.compile(rf"(?<![a-z0-9]){words}(?:'?s|es)?(?![a-z0-9])")


class Router:
    def __init__(self, topics: Sequence[Topic]) -> None:
        self.topics = list(topics)
        self.patterns: list[list[tuple[str, re.Pattern[str]]]] = [
            [(keyword, keyword_pattern(keyword)) for keyword in topic["keywords"]]
            for topic in self.topics
        ]

    def matches(self, text: str) -> list[Counter[str]]:
        """Per topic: how often each keyword occurs in the text."""
        lowered = text.lower()
        result: list[Counter[str]] = []
        for patterns in self.patterns:
            counts: Counter[str] = Counter()
            for keyword, pattern in patterns:
                found = len(pattern.findall(lowered))
                if found:
                    counts[keyword] = found
            result.append(counts)
        return result

    def route(self, title: str, body: str) -> tuple[int, int, list[str]] | None:
        """Best topic index, its score and its matched keywords (title first), or None.

        A keyword must appear in the title: the body alone mentions too many side issues.
        """
        in_title = self.matches(title)
        in_body = self.matches(body)
        best: tuple[int, int, list[str]] | None = None
        for index, (title_hits, body_hits) in enumerate(zip(in_title, in_body, strict=True)):
            if not title_hits:
                continue
            score = 3 * len(title_hits) + len(body_hits)
            if best is None or score > best[1]:
                order = sorted(
                    set(title_hits) | set(body_hits),
                    key=lambda k: (-title_hits[k], -body_hits[k], k),
                )
                best = (index, score, order)
        return best

    def topic_for_phrase(self, phrase: str) -> int | None:
        """Topic whose keywords best cover a short phrase such as a MedQuAD focus name.

        Longer keywords count more ("vesicoureteral reflux" beats "reflux"), and cancer words
        count double, so "Pituitary Tumors" is filed under Cancer. Earlier topic on ties.
        """
        best: tuple[int, int] | None = None
        for index, hits in enumerate(self.matches(phrase)):
            weight = 2 if self.topics[index]["slug"] == "cancer" else 1
            score = weight * sum(len(keyword.split()) for keyword in hits)
            if score and (best is None or score > best[1]):
                best = (index, score)
        return None if best is None else best[0]


def make_tag(keyword: str) -> str | None:
    tag = re.sub(r"[^a-z0-9]+", "-", keyword.lower()).strip("-")
    return tag if re.fullmatch(r"[a-z][a-z0-9-]{1,34}", tag) else None


def make_tags(keywords: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for keyword in keywords:
        tag = make_tag(keyword)
        if tag and tag not in tags:
            tags.append(tag)
        if len(tags) == MAX_TAGS:
            break
    return tags


# ---------------------------------------------------------------------------------------------
# Text helpers for MedQuAD.


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


# Natural casing of MedQuAD focus names inside titles ("Type 2 Diabetes" -> "type 2 diabetes",
# but "Down Syndrome" -> "Down syndrome"), learnt from how the answers themselves write them.
MID_SENTENCE_WORD_RE = re.compile(r"(?<=[a-z,;] )([A-Za-z][A-Za-z'\u2019-]*)")


# Proper names that are also ordinary words ("Down syndrome", "Graves' disease").
KEEP_CAPITALISED = frozenset({"Down", "Graves", "Still", "Bell", "Lou", "Gehrig"})
# Ordinary words too rare in the answers for the statistics to tell.
ALWAYS_LOWER = frozenset({"Infarct"})


class Casing:
    """Write a focus name as the answers write it mid-sentence, e.g. "hiatal hernia"."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.counts: Counter[str] = Counter()
        self.answers: dict[str, list[str]] = defaultdict(list)
        for record in records:
            self.answers[record["focus"]].append(record["answer"])
            for word in MID_SENTENCE_WORD_RE.findall(record["answer"]):
                self.counts.update(re.sub(r"['\u2019]s$", "", word).split("-"))

    def _is_name(self, word: str) -> bool:
        """A capitalised word that the answers write capitalised mid-sentence (almost) always."""
        if word in KEEP_CAPITALISED:
            return True
        if word in ALWAYS_LOWER or not re.fullmatch(r"[A-Z][a-z]+", word):
            return False
        capitalised, lower = self.counts[word], self.counts[word.lower()]
        return capitalised >= 2 and 4 * lower < capitalised

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if re.search(r"['\u2019]s?$", word):
            return word  # possessive eponyms: "Hashimoto's", "Graves'"
        parts = word.split("-")
        if any(self._is_name(part) for part in parts):
            return word  # "Charcot-Marie-Tooth", "Parkinson"
        return "-".join(p.lower() if re.fullmatch(r"[A-Z][a-z]+", p) else p for p in parts)

    def _as_written(self, focus: str, phrase: str) -> Counter[str]:
        """Mid-sentence spellings of the phrase in its own answers, with their counts."""
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        pattern = re.compile(rf"(?:(?<=\w )|(?<=\w, )|(?<=\w; ))({body})(?![\w-])", re.I)
        variants: Counter[str] = Counter()
        for answer in self.answers.get(focus, []):
            variants.update(clean_line(m) for m in pattern.findall(answer))
        return variants

    def natural(self, focus: str) -> str:
        """Word statistics first; a spelling seen in the answers wins if it has fewer capitals
        ("Hiatal hernia" -> "hiatal hernia", "Non-Hodgkin" -> "non-Hodgkin")."""
        phrase = FOCUS_PREFIX_RE.sub("", clean_line(focus))
        by_words = re.sub(r"[A-Za-z][A-Za-z-]*(?:['\u2019]s?)?", self._word, phrase)
        capitals = sum(c.isupper() for c in by_words)
        variants = self._as_written(focus, phrase)
        needed = max(2, variants[by_words])
        lower = [
            v for v in variants if sum(c.isupper() for c in v) < capitals and variants[v] >= needed
        ]
        if lower:
            return min(lower, key=lambda v: (-variants[v], sum(c.isupper() for c in v), v))
        return by_words


SINGULAR_ENDING_S = {
    "diabetes",
    "herpes",
    "rabies",
    "measles",
    "mumps",
    "shingles",
    "rickets",
    "scabies",
    "aids",
    "hiv/aids",
    "lupus",
    "mellitus",
    "insipidus",
    "sepsis",
    "stenosis",
    "prediabetes",
    "lymphedema",
}


def is_plural(phrase: str) -> bool:
    """Whether "What is/are <phrase>" needs "are", judged on the head noun phrase."""
    head = re.split(r"\s+(?:in|with|of|and|for)\s+|[:(,]", phrase, maxsplit=1, flags=re.I)[0]
    words = head.split()
    if not words:
        return False
    last = words[-1].lower().strip(".,")
    if last in SINGULAR_ENDING_S:
        return False
    if last.endswith("ae"):
        return True  # "sequelae"
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "'s", "\u2019s"))


# MedQuAD focus names that are really titles of booklets ("4 Steps to Manage Your Diabetes for
# Life", "Kidney Failure: What to Expect") make poor questions; the reference set skips them.
BOOKLET_FOCUS_RE = re.compile(
    r"[:?]|--|\b(?:your|you|i|my|what|how)\b|^(?:\d|am\b|prevent|causes|monitor|financial|facing"
    r"|overview|nutrition|treatment|diagnosis|national|smoking|taking|living|eat)",
    re.I,
)


NOT_A_CONDITION_RE = re.compile(
    r"\b(?:caregivers|rehabilitation|transplantation|surgery|screening|tests?|therapy|medicines"
    r"|diet)$",
    re.I,
)


def clean_question(record: Record, casing: Casing) -> str:
    """Turn "What is (are) Type 2 Diabetes ?" into "What is type 2 diabetes?".

    MedlinePlus's "Do you have information about X" questions (used for things that are not
    conditions, like "Dialysis") and a few "What is" ones such as "Alzheimer's Caregivers"
    become "What should I know about x?".
    """
    question = clean_line(str(record["question"]))
    focus = clean_line(str(record["focus"]))
    natural = casing.natural(focus)
    if focus and focus in question:
        question = question.replace(focus, natural)
    what_is = re.match(r"(?i)what is \(are\)\s+(.*?)\s*\??$", question)
    info = re.match(r"(?i)do you have information about\s+(.*?)\s*\??$", question)
    about = info or (what_is if what_is and NOT_A_CONDITION_RE.search(natural) else None)
    if about:
        question = f"What should I know about {about.group(1)}?"
    elif what_is:
        verb = "are" if is_plural(natural) else "is"
        question = f"What {verb} {what_is.group(1)}?"
    question = re.sub(r"\s+\?", "?", question)
    question = re.sub(r"\?+", "?", question).strip()
    if not question.endswith("?"):
        question += "?"
    return question[0].upper() + question[1:]


# ---------------------------------------------------------------------------------------------
# Builders.


def load_jsonl(path: Path) -> list[Record]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def question_problem(record: Record) -> str | None:
    message = str(record["message"])
    title = clean_line(str(record["summary"]))
    if not BODY_MIN <= len(message) <= BODY_MAX:
        return "length"
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        return "title length"
    if record["id"] in MANUAL_SKIP:
        return "manual review"
    problem = privacy_problem(message) or privacy_problem(str(record["subject"]), signature=False)
    if problem:
        return problem
    if NOT_PERSONAL_RE.search(title) or NOT_PERSONAL_MESSAGE_RE.search(message):
        return "not a personal health question"
    return None


def build_questions(records: Sequence[Record], router: Router) -> tuple[list[Record], Counter[str]]:
    skipped: Counter[str] = Counter()
    pools: list[list[tuple[int, str, Record]]] = [[] for _ in TOPICS]
    for record in records:
        problem = question_problem(record)
        if problem:
            skipped[problem] += 1
            continue
        title = clean_line(str(record["summary"]))
        body = clean_body(str(record["message"]))
        routed = router.route(title, body)
        if routed is None:
            skipped["no topic"] += 1
            continue
        index, score, keywords = routed
        topic = TOPICS[index]
        question: Record = {
            "id": record["id"],
            "topic": topic["slug"],
            "community": topic["communities"][0]["slug"],
            "title": title,
            "body": body,
            "tags": make_tags(keywords),
        }
        pools[index].append((score, record["id"], question))
    for pool in pools:
        pool.sort(key=lambda item: (-item[0], item[1]))
    # About QUESTIONS_PER_TOPIC each; topics with spare candidates fill in for those with fewer.
    quota = [min(QUESTIONS_PER_TOPIC, len(pool)) for pool in pools]
    while sum(quota) < QUESTIONS_TOTAL:
        spare = [i for i, pool in enumerate(pools) if len(pool) > quota[i]]
        if not spare:
            break
        # Top up the smallest topic that still has candidates, to keep the spread even.
        smallest = min(spare, key=lambda i: (quota[i], -(len(pools[i]) - quota[i]), i))
        quota[smallest] += 1
    chosen = [item[2] for i, pool in enumerate(pools) for item in pool[: quota[i]]]
    chosen.sort(key=lambda q: q["id"])
    return chosen, skipped


def build_answers(questions: Sequence[Record], index: FocusIndex) -> list[Record]:
    topic_index = {topic["slug"]: i for i, topic in enumerate(TOPICS)}
    answers: list[Record] = []
    for question in questions:
        focus = index.best_focus(
            question["title"], question["body"], topic_index[question["topic"]]
        )
        if focus is None:
            continue
        record = index.best_record(focus, question["title"])
        answers.append(
            {
                "question_id": question["id"],
                "medquad_id": record["id"],
                "source": record["source"],
                "url": record["url"],
                "focus": record["focus"],
                "answer": trim_answer(record["answer"]),
            }
        )
    return answers


QTYPE_ORDER = [
    "information",
    "symptoms",
    "treatment",
    "causes",
    "exams and tests",
    "prevention",
    "outlook",
    "susceptibility",
    "complications",
    "considerations",
    "stages",
    "inheritance",
    "frequency",
    "genetic changes",
    "research",
]
PREFERRED_SOURCES = {"MPlusHealthTopics", "NIDDK", "NHLBI", "CancerGov", "NINDS", "CDC"}
# NIHSeniorHealth (retired site) only fills in where the preferred sources run short.
REFERENCE_SOURCES = PREFERRED_SOURCES | {"NIHSeniorHealth"}


# Focus names that the keywords file under the wrong topic.
REFERENCE_SKIP_FOCUS = frozenset({"Neuroleptic Malignant Syndrome"})


def spread_key(text: str) -> str:
    """A stable pseudo-random order, so a quota does not favour the start of the alphabet."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_reference(
    records: Sequence[Record],
    router: Router,
    casing: Casing,
    used_ids: set[str],
    asked_focus: set[str],
) -> list[Record]:
    """Spread REFERENCE_TOTAL pairs over the topics, round-robin over distinct focus names.

    The rare-disease collections GARD and GHR are left out, and focus names found only on the
    retired NIHSeniorHealth site come last. Focus names that forum questions were matched to
    come first, then the rest in a stable pseudo-random order; each focus contributes its
    general "what is" pair first, then symptoms, treatment and so on. Duplicate titles are
    dropped.
    """
    by_topic: list[dict[str, list[Record]]] = [defaultdict(list) for _ in TOPICS]
    for record in records:
        focus = clean_line(str(record["focus"]))
        if record["id"] in used_ids or not usable_answer(record) or not focus:
            continue
        if record["source"] not in REFERENCE_SOURCES or record["qtype"] not in QTYPE_ORDER:
            continue
        if BOOKLET_FOCUS_RE.search(FOCUS_PREFIX_RE.sub("", focus)) or focus in REFERENCE_SKIP_FOCUS:
            continue
        topic_index = router.topic_for_phrase(focus)
        if topic_index is None:
            continue
        title = clean_question(record, casing)
        if not TITLE_MIN <= len(title) <= TITLE_MAX:
            continue
        by_topic[topic_index][" ".join(tokens(focus))].append(record)

    def record_rank(record: Record) -> tuple[int, int, str]:
        return (
            QTYPE_ORDER.index(record["qtype"]),
            SOURCE_RANK.get(record["source"], 99),
            record["id"],
        )

    asked = {" ".join(tokens(focus)) for focus in asked_focus}

    def group_rank(key: str, group: Sequence[Record]) -> tuple[bool, bool, str]:
        only_fallback = all(r["source"] not in PREFERRED_SOURCES for r in group)
        return (key not in asked, only_fallback, spread_key(key))

    queues: list[list[list[Record]]] = []
    for groups in by_topic:
        ordered = sorted(groups, key=lambda key: group_rank(key, groups[key]))
        queues.append([sorted(groups[key], key=record_rank) for key in ordered])

    seen_titles: set[str] = set()
    picks: list[list[Record]] = [[] for _ in TOPICS]
    pending: list[list[Record]] = []
    for queue in queues:
        # Round-robin: every focus's best pair, then every focus's second pair, and so on.
        order: list[Record] = []
        depth = 0
        while True:
            layer = [group[depth] for group in queue if depth < len(group)]
            if not layer:
                break
            order.extend(layer)
            depth += 1
        unique: list[Record] = []
        for record in order:
            title = " ".join(tokens(clean_question(record, casing)))
            if title not in seen_titles:
                seen_titles.add(title)
                unique.append(record)
        pending.append(unique)

    per_topic = REFERENCE_TOTAL // len(TOPICS)
    quota = [min(per_topic, len(candidates)) for candidates in pending]
    while sum(quota) < REFERENCE_TOTAL:
        spare = [i for i in range(len(TOPICS)) if quota[i] < len(pending[i])]
        if not spare:
            break
        smallest = min(spare, key=lambda i: (quota[i], i))
        quota[smallest] += 1
    for topic_index, candidates in enumerate(pending):
        picks[topic_index] = candidates[: quota[topic_index]]

    chosen: list[Record] = []
    for topic_index, picked in enumerate(picks):
        topic = TOPICS[topic_index]
        for record in sorted(picked, key=lambda r: r["id"]):
            chosen.append(
                {
                    "id": record["id"],
                    "topic": topic["slug"],
                    "community": topic["communities"][0]["slug"],
                    "question": clean_question(record, casing),
                    "answer": trim_answer(record["answer"]),
                    "url": record["url"],
                    "focus": record["focus"],
                    "source": record["source"],
                }
            )
    return chosen


ATTRIBUTION = """\
# Demo data: sources, licences and caveats

The files in this directory are generated by `forum/seed/build_data.py` (a maintainer tool, not
run by the app) from two public datasets. Do not edit them by hand; change the script and run
`python forum/seed/build_data.py /path/to/shared/data` again.

- `topics.json`: written for this project (topic and community names, keywords, rules); same
  licence as the project.
- `questions.jsonl`: MeQSum `summary` (title) and `message` (body); CC BY 4.0.
- `answers.jsonl`: MedQuAD question/answer pairs matched to those questions; dataset CC BY 4.0,
  answer texts U.S. public domain.
- `reference_qa.jsonl`: MedQuAD question/answer pairs chosen per topic; dataset CC BY 4.0,
  answer texts U.S. public domain.

## MeQSum (`questions.jsonl`)

- Source: GitHub `abachaa/MeQSum` (commit 51e36cf6…), file
  `MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx`: 1,000 consumer health questions sent to the
  U.S. National Library of Medicine, each with an expert-written one-line summary.
- Licence: Creative Commons Attribution 4.0 (CC BY 4.0), as stated in the repository README.
- Citation: Asma Ben Abacha and Dina Demner-Fushman. "On the Summarization of Consumer Health
  Questions". ACL 2019.
- **The question texts are real, anonymous consumer messages** (typos kept). In the demo forum
  they are shown under **invented pseudonyms**; they must never be attributed to real persons.
  The build skips every message that contains an e-mail address, a phone-like number, a URL, a
  street address, a de-identification placeholder such as `[NAME]`, a name introduction or
  sign-off, forwarded-mail or web-form metadata, or that is not a personal health question;
  the selected messages were also read by a maintainer. Only lightly cleaned: whitespace is
  collapsed, nothing else is changed.
- Titles are the dataset's expert-written summaries, not the consumers' own words.

## MedQuAD (`answers.jsonl`, `reference_qa.jsonl`)

- Source: GitHub `abachaa/MedQuAD` (commit 577bd37b96c02d1833b2c9eed2de9f96964e96cb,
  2023-10-17), a subset of its XML collections `1_CancerGov_QA` … `9_CDC_QA`.
- Licence: the dataset (questions, annotations) is CC BY 4.0 (repository `LICENSE.txt`). The
  answer texts are excerpts of U.S. federal web pages (cancer.gov, GARD, Genetics Home
  Reference, MedlinePlus health-topic summaries, NIDDK, NINDS, NIHSeniorHealth, NHLBI, CDC),
  i.e. U.S. Government works in the public domain. The copyrighted MedlinePlus subsets
  (A.D.A.M. encyclopedia, drug monographs, herbs and supplements) are not included.
- Citation: Asma Ben Abacha and Dina Demner-Fushman. "A Question-Entailment Approach to
  Question Answering". BMC Bioinformatics, 2019.
- Questions were rewritten into natural titles ("What is (are) Diabetes ?" becomes "What is
  diabetes?"); answers longer than 3,000 characters were cut at a paragraph or sentence
  boundary. Each record keeps its `source` and original `url`.
- Answers from `CancerGov` are excerpts of cancer.gov pages. "PDQ" is a registered trademark of
  the U.S. National Cancer Institute: never label such an excerpt as "an NCI PDQ summary" (say
  e.g. "Excerpt from cancer.gov (National Cancer Institute)"). Excerpts that refer readers to
  other PDQ summaries were left out.

## Caveats

- Snapshot dates: the MedQuAD content is a ~2015-2017 snapshot of the source pages; some URLs
  are dead or have moved and NIHSeniorHealth has been retired. The MeQSum messages date from
  the same period. Medical facts may be out of date: the demo is not medical advice.
- Matching a consumer question to a MedQuAD answer is a simple keyword match: the reference
  answer is general background on the condition named in the question, not a reply to that
  person's situation.
"""


def write_jsonl(path: Path, rows: Iterable[Record]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("data_dir", type=Path, help="directory holding meqsum/ and medquad/")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"default: {OUT_DIR}")
    args = parser.parse_args(argv)

    meqsum = load_jsonl(args.data_dir / "meqsum" / "meqsum_consumer_questions.jsonl")
    medquad = load_jsonl(args.data_dir / "medquad" / "medquad_qa.jsonl")
    router = Router(TOPICS)
    focus_index = FocusIndex(medquad, router)
    casing = Casing(medquad)

    questions, skipped = build_questions(meqsum, router)
    answers = build_answers(questions, focus_index)
    used = {answer["medquad_id"] for answer in answers}
    asked = {answer["focus"] for answer in answers}
    reference = build_reference(medquad, router, casing, used, asked)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    topics_text = json.dumps(TOPICS, ensure_ascii=False, indent=2) + "\n"
    (out / "topics.json").write_text(topics_text, encoding="utf-8", newline="\n")
    write_jsonl(out / "questions.jsonl", questions)
    write_jsonl(out / "answers.jsonl", answers)
    write_jsonl(out / "reference_qa.jsonl", reference)
    (out / "ATTRIBUTION.md").write_text(ATTRIBUTION, encoding="utf-8", newline="\n")

    answered = {answer["question_id"] for answer in answers}
    print(f"{'topic':<18} {'questions':>9} {'answered':>8} {'reference':>9}")
    for topic in TOPICS:
        slug = topic["slug"]
        topic_questions = [q for q in questions if q["topic"] == slug]
        n_answered = sum(1 for q in topic_questions if q["id"] in answered)
        n_reference = sum(1 for r in reference if r["topic"] == slug)
        print(f"{slug:<18} {len(topic_questions):>9} {n_answered:>8} {n_reference:>9}")
    print(f"{'total':<18} {len(questions):>9} {len(answers):>8} {len(reference):>9}")
    print("meqsum records skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
