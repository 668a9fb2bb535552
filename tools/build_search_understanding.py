"""Build the data of forum/search/understanding.py from the shared public data sets.

A maintainer tool; the forum reads its two small output files, never runs it:

    python -m tools.build_search_understanding /work/shared/data [--out forum/search]

* `understanding_focus.txt`: what a question can be about, one phrase a line with its source:
  MedQuAD's focus names (conditions, tests, health topics), ICD-10-CM 3-character category
  names (cut at their first comma or "and"), and consumer drug names (the drug name dictionary's
  drugs with a MedlinePlus or NHS page, as tools/build_drug_synonyms.py keeps them).
* `understanding_words.txt`: how often a word of a consumer's message survives into the
  expert's one-line summary of it (MeQSum: 1,000 messages and summaries), by word stem. Words
  of the story ("mother", "years", "doctor") rarely survive; the condition and what is asked
  do. The messages that share eight words in a row with a MEDIQA 2019 question (the queries of
  `make search-eval`) are left out, so the evaluation never measures words learnt from itself.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from forum.search.query import STOP_WORDS, words_of
from forum.search.synonyms import stem_key
from tools.build_drug_synonyms import common_drugs

OUT = Path(__file__).resolve().parent.parent / "forum" / "search"
FOCUS_FILE = "understanding_focus.txt"
WORDS_FILE = "understanding_words.txt"
# A word needs this many messages to get a weight of its own (others get the default).
MIN_MESSAGES = 3
OVERLAP_WORDS = 8
MAX_FOCUS_WORDS = 5
# ICD-10-CM names' generic words: "Other disorders of ..." is not a focus a person names.
ICD_GENERIC = frozenset({"other", "unspecified", "specified", "certain", "disorders", "diseases"})


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def medquad_foci(rows: Iterable[dict[str, Any]]) -> set[str]:
    foci = set()
    for row in rows:
        focus = re.sub(r"\s*\(.*?\)", "", row.get("focus") or "")
        for part in re.split(r"\s+-\s+|;", focus):
            if 0 < len(words_of(part)) <= MAX_FOCUS_WORDS:
                foci.add(" ".join(words_of(part)))
    return foci


def icd_categories(path: Path) -> set[str]:
    names = set()
    with path.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            name = re.split(r",| and | due to | of other| in diseases", row["description"])[0]
            words = words_of(name)
            if words and not ICD_GENERIC.intersection(words) and len(words) <= MAX_FOCUS_WORDS:
                names.add(" ".join(words))
    return names


def drugs(drugs_csv: Path) -> set[str]:
    return {" ".join(words_of(key)) for key in common_drugs(drugs_csv) if words_of(key)}


def grams(text: str, size: int = OVERLAP_WORDS) -> set[str]:
    words = words_of(text)
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def evaluation_grams(mediqa: Path) -> set[str]:
    found: set[str] = set()
    for name, field in (
        ("rqe_question_entailment_pairs.jsonl", "chq"),
        ("qa_judged_answers.jsonl", "question"),
    ):
        for row in read_jsonl(mediqa / name):
            found |= grams(row[field])
    return found


def survival(messages: Iterable[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """For each word stem: in how many messages it is, and in how many of their summaries."""
    seen: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for message, summary in messages:
        summary_stems = {stem_key([w])[0] for w in words_of(summary)}
        for word_stem in {stem_key([w])[0] for w in words_of(message) if w not in STOP_WORDS}:
            seen[word_stem] += 1
            kept[word_stem] += word_stem in summary_stems
    return {s: (seen[s], kept[s]) for s in seen if seen[s] >= MIN_MESSAGES}


def build(shared: Path, out: Path) -> tuple[int, int, int]:
    foci: dict[str, str] = {}
    for source, names in (
        ("medquad", medquad_foci(read_jsonl(shared / "medquad" / "medquad_qa.jsonl"))),
        ("drug", drugs(shared / "drug_names_dictionary" / "drugs.csv")),
        ("icd10cm", icd_categories(shared / "icd10cm_categories" / "icd10cm_3char_categories.csv")),
    ):
        for name in sorted(names):
            if name not in STOP_WORDS and len(name) >= 3:
                foci.setdefault(name, source)
    header = "# Built by tools/build_search_understanding.py: phrase<TAB>source. Do not edit.\n"
    (out / FOCUS_FILE).write_text(
        header + "".join(f"{name}\t{source}\n" for name, source in sorted(foci.items())),
        encoding="utf-8",
    )
    held = evaluation_grams(shared / "mediqa2019")
    messages = []
    skipped = 0
    for row in read_jsonl(shared / "meqsum" / "meqsum_consumer_questions.jsonl"):
        message = f"{row['subject']} {row['message']}"
        if grams(message) & held:
            skipped += 1
            continue
        messages.append((message, row["summary"]))
    counts = survival(messages)
    header = (
        "# Built by tools/build_search_understanding.py from MeQSum ("
        f"{len(messages)} messages; {skipped} that overlap MEDIQA 2019 left out).\n"
        "# stem<TAB>messages with it<TAB>of those, summaries with it. Do not edit.\n"
    )
    (out / WORDS_FILE).write_text(
        header + "".join(f"{s}\t{n}\t{k}\n" for s, (n, k) in sorted(counts.items())),
        encoding="utf-8",
    )
    return len(foci), len(counts), skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("shared", type=Path, help="The shared data folder.")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    foci, words, skipped = build(args.shared, args.out)
    print(f"{foci} focus phrases, {words} word weights ({skipped} MeQSum messages left out)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
