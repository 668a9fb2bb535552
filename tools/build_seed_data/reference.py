"""The reference set: MedQuAD pairs spread over the topics, round-robin over focus names."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from tools.build_seed_data.casing import (
    BOOKLET_FOCUS_RE,
    TITLE_MAX,
    TITLE_MIN,
    Casing,
    clean_question,
)
from tools.build_seed_data.focus import (
    FOCUS_PREFIX_RE,
    SOURCE_RANK,
    Record,
    tokens,
    trim_answer,
    usable_answer,
)
from tools.build_seed_data.messages import clean_line
from tools.build_seed_data.routing import Router
from tools.build_seed_data.topics import TOPICS

REFERENCE_TOTAL = 400

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
