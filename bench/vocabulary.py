"""Real health vocabulary for the benchmark's data set, from bench/data and forum/seed/data.

Titles are real consumer questions (MeQSum summaries, MedQuAD and MedicationQA questions),
opening posts real consumer messages, replies sentences of NIH answers, health centers the
seed topics plus ICD-10-CM chapters, and articles NCI and MedQuAD texts. `bench/data/` holds
what the data set needs of the public datasets (see bench/inputs.py); with
FORUM_BENCH_SHARED_DATA set, the same is read from that full copy instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bench import inputs

SEED = inputs.ROOT / "forum" / "seed" / "data"
VOCABULARY = inputs.DATA / "vocabulary.json.gz"
MEDQUAD = "medquad_qa.jsonl"
NCI_FILES = ("nci_cancer_topic_articles", "nci_pdq_patient_summaries", "nci_cancer_drug_summaries")

# ICD-10-CM chapters that become health centers beside the seed topics: chapter, slug, name.
ICD_TOPICS = (
    ("1", "infections", "Infections"),
    ("3", "blood-immune", "Blood & Immune System"),
    ("7", "eye-health", "Eye Health"),
    ("8", "ear-hearing", "Ear & Hearing"),
    ("12", "skin-health", "Skin Health"),
    ("13", "bones-joints", "Bones, Joints & Muscles"),
    ("15", "pregnancy", "Pregnancy & Childbirth"),
    ("16", "newborn-health", "Newborn Health"),
    ("17", "rare-conditions", "Congenital & Rare Conditions"),
    ("18", "symptoms", "Symptoms & Test Results"),
    ("19", "injuries", "Injuries & Poisoning"),
    ("21", "prevention", "Prevention & Health Services"),
)
COMMUNITY_KINDS = (
    ("questions", "{}: questions and answers", "Ask about {}."),
    ("support", "{} support group", "Peer support for people living with {}."),
    ("caregivers", "Caring for someone with {}", "For families and caregivers dealing with {}."),
    ("newly-diagnosed", "Newly diagnosed with {}", "First steps after a diagnosis of {}."),
    ("everyday", "Everyday life with {}", "Food, work, sleep and routines with {}."),
)
SUPPORT_LINES = (
    "Thank you for asking this, I had the same worry last year.",
    "Writing my questions down before the appointment helped me a lot.",
    "Please update us after you talk to your doctor.",
    "You are not alone here. Did your pharmacist have any suggestions?",
    "My care team adjusted things slowly, one change at a time.",
    "Following this thread: I would like to know too.",
    "What helped me most was keeping a simple diary of symptoms.",
)
_ADJECTIVE_WORDS = (
    "hopeful calm steady brave quiet sunny gentle patient curious bright kind honest cheerful "
    "careful mindful resilient thoughtful humble lively early late morning evening walking "
    "reading gardening cycling swimming baking knitting hiking singing painting"
)
_NOUN_WORDS = (
    "owl heron fox otter robin maple willow river meadow harbor lantern compass anchor pebble "
    "cedar birch juniper thistle sparrow finch wren badger beaver pine clover fern comet "
    "harvest orchard prairie"
)
ADJECTIVES, NOUNS = _ADJECTIVE_WORDS.split(), _NOUN_WORDS.split()
NCI = "National Cancer Institute"
_TAG = re.compile(r"[a-z][a-z0-9-]{1,34}")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name: str
    summary: str
    keywords: tuple[str, ...]
    # (slug, name, description, rules) of the seed's own communities, if any.
    communities: tuple[tuple[str, str, str, str], ...] = ()


@dataclass(frozen=True)
class ArticleSource:
    title: str
    markdown: str
    url: str
    source: str
    cancer: bool


@dataclass
class Vocabulary:
    topics: list[TopicSpec] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    openings: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    articles: list[ArticleSource] = field(default_factory=list)

    def tags_for(self, topic: TopicSpec) -> list[str]:
        tags = []
        for keyword in topic.keywords:
            words = re.findall(r"[a-z0-9]+", keyword.lower())
            tag = "-".join(words)
            if len(words) <= 3 and len(tag) <= 30 and _TAG.fullmatch(tag) and tag not in tags:
                tags.append(tag)
        return tags or [topic.slug]


@dataclass(frozen=True)
class Sources:
    """What the vocabulary is made of, as read from the public datasets."""

    # ICD-10-CM chapter -> (chapter title, names of its categories).
    icd_chapters: dict[str, tuple[str, list[str]]]
    # MeQSum (summary, message) pairs, MedicationQA questions.
    consumer_questions: list[tuple[str, str]]
    medication_questions: list[str]
    medquad: list[dict[str, Any]]
    # NCI pages: (title, markdown, url).
    nci_articles: list[tuple[str, str, str]]


def shipped_sources() -> Sources:
    """The sources as bench/data ships them (tools/build_bench_data.py writes them)."""
    packed = inputs.read_json(VOCABULARY)
    return Sources(
        {chapter: (title, names) for chapter, (title, names) in packed["icd_chapters"].items()},
        [(summary, message) for summary, message in packed["consumer_questions"]],
        packed["medication_questions"],
        inputs.read_jsonl(inputs.find(inputs.DATA, MEDQUAD)),
        [(title, markdown, url) for title, markdown, url in packed["nci_articles"]],
    )


def shared_sources(folder: Path) -> Sources:
    """The sources from a full copy of the shared data folder."""
    chapters: dict[str, tuple[str, list[str]]] = {}
    for row in inputs.read_csv(folder / "icd10cm_categories" / "icd10cm_3char_categories.csv"):
        _title, names = chapters.setdefault(row["chapter"], (row["chapter_title"], []))
        names.append(row["description"].split(",")[0].split("(")[0].strip())
    meqsum = inputs.read_jsonl(folder / "meqsum" / "meqsum_consumer_questions.jsonl")
    medication = inputs.read_jsonl(folder / "medicationqa_medinfo2019" / "medicationqa.jsonl")
    nci = [
        (row["title"], row["markdown"], row["url"])
        for name in NCI_FILES
        for row in inputs.read_jsonl(folder / "nci_cancer_gov" / f"{name}.jsonl")
    ]
    return Sources(
        chapters,
        [(row["summary"], row["message"]) for row in meqsum],
        [row["question"] for row in medication],
        inputs.read_jsonl(folder / "medquad" / MEDQUAD),
        nci,
    )


def _clean(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit].strip()


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(" ".join(text.split())) if 40 <= len(s) <= 400]


def _topics(sources: Sources) -> list[TopicSpec]:
    topics = []
    for spec in inputs.read_json(SEED / "topics.json"):
        communities = tuple(
            (c["slug"], c["name"], c.get("description", ""), c.get("rules", ""))
            for c in spec["communities"]
        )
        topics.append(
            TopicSpec(
                spec["slug"], spec["name"], spec["summary"], tuple(spec["keywords"]), communities
            )
        )
    for chapter, slug, name in ICD_TOPICS:
        title, names = sources.icd_chapters.get(chapter, (name, [name]))
        keywords = tuple(dict.fromkeys(n.lower() for n in names if 3 <= len(n) <= 60))
        topics.append(TopicSpec(slug, name, title, keywords or (name.lower(),)))
    return topics


def _questions(vocabulary: Vocabulary, sources: Sources) -> None:
    titles, openings = vocabulary.titles, vocabulary.openings
    for summary, message in sources.consumer_questions:
        titles.append(_clean(summary, 150))
        openings.append(_clean(message, 2000))
    for text in sources.medication_questions:
        question = _clean(text, 150)
        titles.append(question[:1].upper() + question[1:])
        openings.append(_clean(text, 2000))
    for row in inputs.read_jsonl(SEED / "questions.jsonl"):
        titles.append(_clean(row["title"], 150))
        openings.append(_clean(row["body"], 2000))
    for row in sources.medquad:
        titles.append(_clean(row["question"].replace(" ?", "?"), 150))
        if row.get("answer"):
            vocabulary.sentences.extend(_sentences(row["answer"]))
    for row in inputs.read_jsonl(SEED / "reference_qa.jsonl"):
        titles.append(_clean(row["question"], 150))
        vocabulary.sentences.extend(_sentences(row["answer"]))
    vocabulary.titles = [t for t in dict.fromkeys(titles) if len(t) >= 10]
    vocabulary.openings = [o for o in dict.fromkeys(openings) if len(o) >= 10]
    vocabulary.sentences = list(dict.fromkeys(vocabulary.sentences))


def _articles(vocabulary: Vocabulary, sources: Sources) -> None:
    for title, markdown, url in sources.nci_articles:
        vocabulary.articles.append(ArticleSource(title, markdown, url, NCI, True))
    by_focus: dict[str, list[dict[str, Any]]] = {}
    for row in sources.medquad:
        if row.get("answer") and row.get("focus") and row["source"] != "CancerGov":
            by_focus.setdefault(row["focus"], []).append(row)
    for focus, rows in by_focus.items():
        sections = [
            f"## {r['question'].replace(' ?', '?')}\n\n{r['answer'].strip()}" for r in rows[:4]
        ]
        vocabulary.articles.append(
            ArticleSource(
                f"Understanding {focus}",
                "\n\n".join(sections),
                rows[0]["url"],
                rows[0]["source"],
                False,
            )
        )


def build(sources: Sources) -> Vocabulary:
    vocabulary = Vocabulary(topics=_topics(sources))
    _questions(vocabulary, sources)
    _articles(vocabulary, sources)
    if not vocabulary.sentences:
        vocabulary.sentences = list(SUPPORT_LINES)
    if not vocabulary.articles:
        vocabulary.articles = [
            ArticleSource(t.name, t.summary, "https://medlineplus.gov/", "MedlinePlus", False)
            for t in vocabulary.topics
        ]
    return vocabulary


@cache
def load() -> Vocabulary:
    """The vocabulary (read once per process); raises inputs.InputMissing without its files."""
    folder = inputs.shared_folder()
    return build(shared_sources(folder) if folder else shipped_sources())
