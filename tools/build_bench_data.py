"""Build `bench/data/`, what `make bench` and `make search-eval` read, from the shared data.

A maintainer tool: the benchmark reads its output, never runs it. The output is deterministic
(gzip without name or time) and small, so a plain clone has everything the benchmark needs:

    python -m tools.build_bench_data /work/shared/data [--out bench/data]

writes `medquad_qa.jsonl.gz` (MedQuAD: only id, source, url, focus, question and answer),
`rqe_question_entailment_pairs.jsonl.gz` (MEDIQA 2019 RQE, whole),
`qa_judged_answers.jsonl.gz` (MEDIQA 2019 judged questions with only the answers judged
correct: their url and the start of their text, enough to match a MedQuAD answer),
`vocabulary.json.gz` (ICD-10-CM chapter names, MeQSum and MedicationQA questions, and the NCI
pages the largest data set uses, cut as it cuts them) and `ATTRIBUTION.md`.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench import inputs
from bench.dataset import SIZES
from bench.experts import CANCER_SHARE, article_body
from bench.search_relevance import CORRECT_SCORE, JUDGED_FILE, RQE_FILE, answer_key
from bench.vocabulary import ICD_TOPICS, MEDQUAD, Sources, shared_sources

MEDQUAD_FIELDS = ("id", "source", "url", "focus", "question", "answer")
# Judged answer texts are only matched by their first words (search_relevance.answer_key).
JUDGED_TEXT_CHARS = 600

ATTRIBUTION = """\
# Benchmark and search-evaluation data: sources and licences

Built by `python -m tools.build_bench_data /path/to/shared/data` (tools/build_bench_data.py);
read by `make bench` (bench/vocabulary.py) and `make search-eval` (bench/search_eval.py). Do
not edit by hand. Only the fields the benchmark uses are kept.

- `medquad_qa.jsonl.gz`: 6,947 MedQuAD question/answer pairs (GitHub `abachaa/MedQuAD`, commit
  577bd37b…). Ben Abacha & Demner-Fushman, "A Question-Entailment Approach to Question
  Answering", BMC Bioinformatics 2019. The dataset is CC BY 4.0; the answer texts are excerpts
  of U.S. federal web pages (NIH, CDC), U.S. Government works in the public domain. "PDQ" is a
  registered trademark of the National Cancer Institute: no excerpt is an NCI PDQ summary.
- `rqe_question_entailment_pairs.jsonl.gz`, `qa_judged_answers.jsonl.gz`: MEDIQA 2019 (GitHub
  `abachaa/MEDIQA2019`, commit ae5d3826…). Ben Abacha, Shivade & Demner-Fushman, "Overview of
  the MEDIQA 2019 Shared Task on Textual Inference, Question Entailment and Question
  Answering", ACL BioNLP 2019. Answer texts only from U.S. federal public-domain pages, cut to
  their first words.
- `vocabulary.json.gz`: MeQSum consumer questions (Ben Abacha & Demner-Fushman, ACL 2019;
  CC BY 4.0), MedicationQA questions (Ben Abacha et al., MEDINFO 2019), ICD-10-CM category
  names (CDC/NCHS, public domain) and National Cancer Institute pages from cancer.gov (public
  domain). The texts date from 2015-2025 and are not medical advice.
"""


def write_gzip(path: Path, lines: Iterable[str]) -> None:
    """UTF-8 text, gzip-compressed without file name or time: the same input, the same bytes."""
    data = "".join(lines).encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def _jsonl(rows: Iterable[Any]) -> Iterable[str]:
    return (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


def medquad_rows(sources: Sources) -> list[dict[str, Any]]:
    return [{name: row.get(name) for name in MEDQUAD_FIELDS} for row in sources.medquad]


def judged_rows(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every judged question, with only its correct answers (url and the start of the text)."""
    rows = []
    for question in questions:
        answers = []
        for answer in question["answers"]:
            if int(answer["reference_score"]) < CORRECT_SCORE:
                continue
            text = answer["answer"]
            if text and answer_key(text[:JUDGED_TEXT_CHARS]) == answer_key(text):
                text = text[:JUDGED_TEXT_CHARS]
            score, url = answer["reference_score"], answer.get("url")
            answers.append({"reference_score": score, "url": url, "answer": text})
        rows.append({**{k: question[k] for k in ("split", "qid", "question")}, "answers": answers})
    return rows


def vocabulary_parts(sources: Sources) -> dict[str, Any]:
    """What the vocabulary needs besides MedQuAD and the demo content."""
    chapters = {chapter for chapter, _slug, _name in ICD_TOPICS}
    needed = max(round(size.articles * CANCER_SHARE) for size in SIZES.values())
    return {
        "icd_chapters": {
            chapter: [title, names]
            for chapter, (title, names) in sorted(sources.icd_chapters.items())
            if chapter in chapters
        },
        "consumer_questions": [list(pair) for pair in sources.consumer_questions],
        "medication_questions": sources.medication_questions,
        "nci_articles": [
            [title, article_body(markdown), url]
            for title, markdown, url in sources.nci_articles[:needed]
        ],
    }


def build(data: Path, out: Path) -> dict[str, int]:
    sources = shared_sources(data)
    mediqa = data / "mediqa2019"
    pairs = inputs.read_jsonl(mediqa / RQE_FILE)
    judged = judged_rows(inputs.read_jsonl(mediqa / JUDGED_FILE))
    parts = vocabulary_parts(sources)
    out.mkdir(parents=True, exist_ok=True)
    write_gzip(out / f"{MEDQUAD}.gz", _jsonl(medquad_rows(sources)))
    write_gzip(out / f"{RQE_FILE}.gz", _jsonl(pairs))
    write_gzip(out / f"{JUDGED_FILE}.gz", _jsonl(judged))
    write_gzip(
        out / "vocabulary.json.gz", [json.dumps(parts, ensure_ascii=False, separators=(",", ":"))]
    )
    (out / "ATTRIBUTION.md").write_text(ATTRIBUTION, encoding="utf-8", newline="\n")
    return {
        "medquad": len(sources.medquad),
        "rqe_pairs": len(pairs),
        "judged_questions": len(judged),
        "consumer_questions": len(parts["consumer_questions"]),
        "medication_questions": len(parts["medication_questions"]),
        "nci_articles": len(parts["nci_articles"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=inputs.DATA, help=f"default: {inputs.DATA}")
    args = parser.parse_args(argv)

    def run() -> int:
        counts = build(args.data, args.out)
        print(", ".join(f"{name} {count}" for name, count in counts.items()))
        return 0

    return inputs.exit_on_missing_input(run)


if __name__ == "__main__":
    raise SystemExit(main())
