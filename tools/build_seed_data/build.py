"""Build the demo data files in `forum/seed/data/` from two public health datasets.

This is a maintainer tool: the app never runs it and never imports it. It only needs the
standard library and the two read-only source datasets:

    python -m tools.build_seed_data /work/shared/data

reads `meqsum/meqsum_consumer_questions.jsonl` (MeQSum, CC BY 4.0: real anonymous consumer
messages sent to the U.S. National Library of Medicine) and `medquad/medquad_qa.jsonl` (MedQuAD,
CC BY 4.0; answer texts are U.S. Government public-domain web pages), and writes
`topics.json`, `questions.jsonl`, `answers.jsonl`, `reference_qa.jsonl` and `ATTRIBUTION.md`.
The output is deterministic: the same input gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from tools.build_seed_data.attribution import ATTRIBUTION
from tools.build_seed_data.casing import TITLE_MAX, TITLE_MIN, Casing
from tools.build_seed_data.focus import FocusIndex, Record, trim_answer
from tools.build_seed_data.messages import (
    MANUAL_SKIP,
    NOT_PERSONAL_MESSAGE_RE,
    NOT_PERSONAL_RE,
    clean_body,
    clean_line,
    privacy_problem,
)
from tools.build_seed_data.reference import build_reference
from tools.build_seed_data.routing import Router, make_tags
from tools.build_seed_data.topics import TOPICS

OUT_DIR = Path(__file__).resolve().parents[2] / "forum" / "seed" / "data"
QUESTIONS_TOTAL = 160
QUESTIONS_PER_TOPIC = 20
BODY_MIN, BODY_MAX = 60, 1500


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
