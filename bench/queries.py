"""The fixed list of 200 search queries (50 texts, each with four sets of filters)."""

from __future__ import annotations

from urllib.parse import urlencode

# What people type: plain words, phrases, exclusions, prefixes, typos and long questions.
TEXTS = (
    "metformin side effects", "blood sugar after exercise", "insulin pump", "a1c", "diab*",
    '"high blood pressure" diet', "heart palpitations anxiety", "statin muscle pain",
    "chest pain", "asthma inhaler", "copd breathing exercises", "chemo fatigue",
    "breast cancer screening", "radiation skin", "depression medication -ssri",
    "panic attacks at night", "bipolar lithium", "ibs diet", "acid reflux", "crohn's disease",
    "kidney stones", "dialysis diet potassium", "migraine aura", "parkinson tremor",
    "dementia caregiver", "multiple sclerosis", "diabtes", "hypertenion", "cholestrol",
    "anemia iron", "eczema cream", "psoriasis", "rheumatoid arthritis", "back pain",
    "pregnancy nausea", "newborn jaundice", "vaccine schedule", "shingles", "thyroid",
    "cough that will not go away", "what are the symptoms of lupus", "treatment for gout",
    "sleep apnea cpap", "osteoporosis calcium", "hearing loss tinnitus", "glaucoma drops",
    "how is leukemia diagnosed", "warfarin interactions", "genetic testing", "fatigue",
)  # fmt: skip
DATES = ({"from": "2025-01-01"}, {"from": "2024-06-01", "to": "2025-06-30"})


def search_args(topic_slugs: list[str], community_slugs: list[str]) -> list[dict[str, str]]:
    """The 200 queries as search-page arguments, mixing filters in a fixed rotation."""
    queries: list[dict[str, str]] = []
    for index, text in enumerate(TEXTS):
        topic = topic_slugs[index % len(topic_slugs)]
        community = community_slugs[index % len(community_slugs)]
        variants: list[dict[str, str]] = [
            {},
            {"topic": topic, "answered": "1"} if index % 2 else {"community": community},
            {"sort": "new", **DATES[index % 2]} if index % 3 else {"type": "question"},
            {"endorsed": "1"} if index % 4 else {"topic": topic, "sort": "new"},
        ]
        queries.extend({"q": text, **variant} for variant in variants)
    return queries


def search_paths(args: list[dict[str, str]]) -> list[str]:
    return [f"/search?{urlencode(arg)}" for arg in args]
