"""Relevance judgements and metrics for `make search-eval` (see bench/search_eval.py).

MedQuAD rows relevant to each MEDIQA 2019 question, with grades, and nDCG@10 / recall@10.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from forum.search.query import STOP_WORDS

K = 10
# The MEDIQA 2019 files (in bench/data as .jsonl.gz).
RQE_FILE = "rqe_question_entailment_pairs.jsonl"
JUDGED_FILE = "qa_judged_answers.jsonl"
# A judged answer with this reference_score or more is correct (3 incomplete, 4 excellent).
CORRECT_SCORE = 3


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    grades: dict[str, int]


@dataclass(frozen=True)
class Scores:
    ndcg: float
    recall: float


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("(are)", " ")))


def _url(url: str | None) -> str:
    parts = urlsplit((url or "").strip().lower())
    host = parts.netloc.removeprefix("www.")
    return urlunsplit(("https", host, parts.path.rstrip("/"), "", "")) if host else ""


def answer_key(text: str) -> str:
    """The first words of an answer, after a judged answer's "Focus (Section):" label."""
    head, colon, rest = text.partition(":")
    if colon and len(head) < 150 and rest.strip():
        text = rest
    return " ".join(_words(text).split()[:20])


def rqe_queries(pairs: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[Query]:
    by_question: dict[str, set[str]] = defaultdict(set)
    by_focus: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_question[_words(row["question"])].add(row["id"])
        if row.get("focus"):
            by_focus[_words(row["focus"])].add(row["id"])
    longest = max(len(focus.split()) for focus in by_focus)
    queries = []
    for pair in pairs:
        if not pair["entails"]:
            continue
        faq = _words(pair["faq"])
        grades = dict.fromkeys(by_focus.get(_focus_in(faq, by_focus, longest), ()), 1)
        grades.update(dict.fromkeys(by_question.get(faq, ()), 2))
        if grades:
            queries.append(Query(f"rqe-{pair['split']}-{pair['pid']}", pair["chq"], grades))
    return queries


def _focus_in(faq: str, foci: dict[str, set[str]], longest: int) -> str:
    words = faq.split()
    for size in range(min(longest, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in foci and len(phrase) >= 4 and phrase not in STOP_WORDS:
                return phrase
    return ""


def judged_queries(questions: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[Query]:
    by_url: dict[str, set[str]] = defaultdict(set)
    by_text: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_url[_url(row.get("url"))].add(row["id"])
        by_text[answer_key(row["answer"])].add(row["id"])
    queries = []
    for question in questions:
        grades: dict[str, int] = {}
        for answer in question["answers"]:
            score = int(answer["reference_score"])
            if score < CORRECT_SCORE:
                continue
            page = by_url.get(_url(answer.get("url")), set()) if answer.get("url") else set()
            exact = by_text.get(answer_key(answer["answer"]), set()) if answer["answer"] else set()
            for row_id in page:
                grades[row_id] = max(grades.get(row_id, 0), score - 2)
            for row_id in exact:
                grades[row_id] = max(grades.get(row_id, 0), score - 1)
        if grades:
            queries.append(
                Query(f"qa-{question['split']}-{question['qid']}", question["question"], grades)
            )
    return queries


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {d for d, g in grades.items() if g > 0}
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def score(runs: dict[str, list[str]], queries: list[Query]) -> Scores:
    if not queries:
        return Scores(0.0, 0.0)
    n = sum(ndcg(runs[q.id], q.grades) for q in queries) / len(queries)
    r = sum(recall(runs[q.id], q.grades) for q in queries) / len(queries)
    return Scores(n, r)
