"""Build the demo article files in `forum/seed/data/articles/` from two public datasets.

A maintainer tool like tools/build_seed_data/: the app never runs or imports it, and it needs
only the standard library and the read-only source data:

    python -m tools.build_seed_articles /work/shared/data

reads `nci_cancer_gov/nci_cancer_topic_articles.jsonl` (cancer.gov pages, U.S. Government
work) and `medquad/medquad_qa.jsonl` (MedlinePlus health-topic summaries, U.S. Government
work, via MedQuAD, CC BY 4.0) and writes `nci.jsonl`, `medlineplus.jsonl` and
`ATTRIBUTION.md`. Topics come from the demo data's keyword router. The output is
deterministic. NCI text is never labelled a PDQ summary (NCI's trademark condition).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tools.build_seed_data.routing import Router
from tools.build_seed_data.topics import TOPICS

OUT_DIR = Path(__file__).resolve().parents[1] / "forum" / "seed" / "data" / "articles"
BODY_LIMIT = 7000
SUMMARY_LIMIT = 300
# NCI pages keep their first paragraph: the summary is only its first sentences.
NCI_SUMMARY_LIMIT = 200
MEDLINEPLUS_PER_TOPIC = 5
NCI_AUTHOR, NURSE_AUTHOR = "dr_rivera", "nurse_okafor"

# Patient-facing cancer.gov pages (never the PDQ summaries), by path under cancer.gov.
NCI_PAGES = (
    "about-cancer/treatment/side-effects/fatigue",
    "about-cancer/treatment/side-effects/nausea-vomiting",
    "about-cancer/treatment/side-effects/hair-loss",
    "about-cancer/treatment/side-effects/pain",
    "about-cancer/treatment/side-effects/appetite-loss",
    "about-cancer/treatment/side-effects/mouth-throat",
    "about-cancer/treatment/side-effects/nerve-problems",
    "about-cancer/treatment/side-effects/sleep-problems",
    "about-cancer/treatment/side-effects/infection",
    "about-cancer/treatment/side-effects/lymphedema",
    "about-cancer/treatment/side-effects/memory",
    "about-cancer/treatment/side-effects/skin-nail-changes",
    "about-cancer/treatment/side-effects/constipation",
    "about-cancer/treatment/types/chemotherapy",
    "about-cancer/treatment/types/radiation-therapy",
    "about-cancer/treatment/types/immunotherapy",
    "about-cancer/treatment/types/surgery",
    "about-cancer/treatment/types/targeted-therapies",
    "about-cancer/treatment/questions",
    "about-cancer/coping/feelings",
    "about-cancer/coping/feelings/relaxation",
    "about-cancer/coping/adjusting-to-cancer/support-groups",
    "about-cancer/coping/adjusting-to-cancer/talk-with-doctors",
    "about-cancer/coping/adjusting-to-cancer/talk-to-children",
    "about-cancer/coping/day-to-day/back-to-work",
    "about-cancer/coping/survivorship/new-normal",
    "types/breast/symptoms",
    "types/bladder/symptoms",
    "types/metastatic-cancer",
    "types/recurrent-cancer",
    "types/skin/skin-cancer-in-black-or-brown-skin",
    "types/cervical/screening",
)
# Coping pages read best from the nurse; treatment and cancer types from the doctor.
# Pages that need the crisis resources of a support site, not a demo article.
SKIP_FOCUS = frozenset({"Suicide"})
NURSE_PATHS = ("about-cancer/coping", "about-cancer/treatment/side-effects")

Record = dict[str, Any]


def load_jsonl(path: Path) -> list[Record]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _sentences_up_to(text: str, limit: int) -> str:
    """Whole sentences from the start of the text, at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end > limit // 3:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(" ,;:") + "…"


def _escape_brackets(text: str) -> str:
    """Literal "[12]" in the source is not one of our references."""
    return re.sub(r"(?<!\\)\[(\d{1,3})\](?!\()", r"\\[\1\\]", text)


def clean_nci_markdown(markdown: str) -> tuple[str, str]:
    """The page's heading (the title) and a tidy, shortened Markdown body."""
    lines = markdown.strip().splitlines()
    title = lines[0].lstrip("# ").strip() if lines and lines[0].startswith("# ") else ""
    text = "\n".join(lines[1:] if title else lines)
    # cancer.gov headings were converted as an empty "##" followed by the heading text.
    text = re.sub(r"^(#{2,4})\s*\n+\s*([^\n#][^\n]*)$", r"\1 \2", text, flags=re.M)
    text = re.sub(r"^#{1,6}\s*$", "", text, flags=re.M)
    text = re.sub(r"^Credit: .*$|^Enlarge( Image)?$", "", text, flags=re.M)
    # In-page reference markers such as "([1](#r1), [2](#r2))" point at a list we drop.
    text = re.sub(r"\s*\((?:\[\d+\]\(#r\d+\)[\s,\u2013-]*)+\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\(#[^)]*\)", r"\1", text)
    # Teaser cards (a link around several lines) go; dictionary links become their word.
    text = re.sub(r"\[\s*\n[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(
        r"\[([^\]\n]+)\]\(https://www\.cancer\.gov/publications/dictionaries/[^)]*\)", r"\1", text
    )
    # Pointers to the PDQ summaries go: this text must never read as one of them.
    text = "\n".join(line for line in text.splitlines() if "PDQ" not in line)
    text = _escape_brackets(re.sub(r"\n{3,}", "\n\n", text).strip())
    return title, _trim_sections(text, BODY_LIMIT)


def _trim_sections(text: str, limit: int) -> str:
    """Whole sections (split at "## ") while they fit; at least the first one, cut by paragraph."""
    sections = re.split(r"\n(?=## )", text)
    kept: list[str] = []
    for section in sections:
        if kept and len("\n".join(kept)) + len(section) > limit:
            break
        kept.append(section)
    body = "\n".join(kept)
    if len(body) > limit:
        paragraphs = body.split("\n\n")
        body = ""
        for paragraph in paragraphs:
            if body and len(body) + len(paragraph) > limit:
                break
            body = f"{body}\n\n{paragraph}" if body else paragraph
    return body.strip()


def first_paragraph(markdown: str) -> str:
    for block in markdown.split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("#", "-", "*", "|", ">", "1.")):
            return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", block)
    return ""


def build_nci(records: Sequence[Record]) -> list[Record]:
    by_path = {r["url"].removeprefix("https://www.cancer.gov/"): r for r in records}
    rows = []
    for path in NCI_PAGES:
        record = by_path[path]
        heading, body = clean_nci_markdown(record["markdown"])
        title = heading if 10 <= len(heading) <= 150 else record["title"]
        assert "PDQ" not in title + body, path
        rows.append(
            {
                "id": record["id"],
                "topic": "cancer",
                "author": NURSE_AUTHOR if path.startswith(NURSE_PATHS) else NCI_AUTHOR,
                "title": title,
                "summary": _sentences_up_to(first_paragraph(body), NCI_SUMMARY_LIMIT),
                "body": body
                + "\n\n---\n\n*Adapted from [1]: public-domain text of the National Cancer "
                "Institute, shortened for this site.*",
                "citation": {
                    "text": f"National Cancer Institute. {record['title']}. cancer.gov "
                    f"(text retrieved {record['retrieved']}).",
                    "url": record["url"],
                    "evidence_level": "expert-opinion",
                },
                "source": "National Cancer Institute",
                "url": record["url"],
                "retrieved": record["retrieved"],
            }
        )
    return rows


def medlineplus_body(answer: str) -> str:
    """MedQuAD flattened the page's bullets into " - ": rebuild the lists and paragraphs."""
    answer = re.sub(r"^Summary\s*:\s*", "", answer.strip())
    credit = ""
    match = re.search(r"\s((?:NIH|CDC|FDA|NLM)[A-Za-z ]*: [^.]+)$", answer)
    if match:
        credit, answer = match[1].strip(), answer[: match.start()].strip()
    parts = [part.strip() for part in re.split(r"\s+-\s+(?=[A-Z0-9])", answer)]
    blocks: list[str] = []
    after = ""
    prose, items = parts[0], parts[1:]
    if items and prose[-1:].isalnum():
        prose += ":"
    blocks.extend(_paragraphs(prose))
    if items:
        # The flattening also glued the text after a list onto its last item.
        pieces = re.split(r"(?<=[a-z)]) (?=[A-Z][a-z]+ [a-z])", items[-1], maxsplit=1)
        items[-1], after = pieces[0], pieces[1] if len(pieces) > 1 else ""
    for item in items:
        head, dot, tail = item.partition(". ")
        if dot and len(tail) > 120:
            blocks.append(f"- {head}.")
            blocks.extend(_paragraphs(tail))
        else:
            blocks.append(f"- {item}")
    if after:
        blocks.extend(_paragraphs(after))
    text = "\n\n".join(blocks)
    text = re.sub(r"(?<=\n)\n(?=- )", "", text)
    text = re.sub(r"(?<=:)\n(?=- )", "\n\n", text)
    if credit:
        text += f"\n\n*{credit}*"
    return _escape_brackets(text)


def _paragraphs(text: str, per: int = 3) -> list[str]:
    sentences = re.split(r"(?<=[.?!])\s+(?=[A-Z])", text.strip())
    return [" ".join(sentences[i : i + per]) for i in range(0, len(sentences), per) if text]


def build_medlineplus(records: Sequence[Record]) -> list[Record]:
    router, slugs = Router(TOPICS), [topic["slug"] for topic in TOPICS]
    chosen: dict[str, list[Record]] = {slug: [] for slug in slugs}
    candidates = sorted(
        (r for r in records if r["source"] == "MPlusHealthTopics"),
        key=lambda r: (
            r.get("focus_category") != "Disease",
            hashlib.sha256(r["focus"].encode()).hexdigest(),
        ),
    )
    for record in candidates:
        if record["focus"] in SKIP_FOCUS or not 400 <= len(record["answer"]) <= 2500:
            continue
        index = router.topic_for_phrase(record["focus"])
        if index is None or len(chosen[slugs[index]]) >= MEDLINEPLUS_PER_TOPIC:
            continue
        chosen[slugs[index]].append(record)
    rows = []
    picks = [(slug, record) for slug in slugs for record in chosen[slug]]
    for number, (topic, picked) in enumerate(picks):
        lead, _, body = medlineplus_body(picked["answer"]).partition("\n\n")
        url = picked["url"].replace("http://", "https://", 1)
        rows.append(
            {
                "id": picked["doc_id"],
                "topic": topic,
                "author": NCI_AUTHOR if number % 2 == 0 else NURSE_AUTHOR,
                "title": f"{picked['focus']}: the basics"[:150],
                "summary": _sentences_up_to(lead, SUMMARY_LIMIT),
                "body": (body if len(lead) <= SUMMARY_LIMIT else f"{lead}\n\n{body}")
                + "\n\n---\n\n*Adapted from [1]: a MedlinePlus health-topic summary from the "
                "U.S. National Library of Medicine (public domain).*",
                "citation": {
                    "text": f"MedlinePlus, U.S. National Library of Medicine. {picked['focus']} "
                    "(health topic summary, via the MedQuAD collection, Ben Abacha and "
                    "Demner-Fushman, BMC Bioinformatics 2019).",
                    "url": url,
                    "evidence_level": "expert-opinion",
                },
                "source": "MedlinePlus, U.S. National Library of Medicine",
                "url": url,
                "retrieved": None,
            }
        )
    return rows


ATTRIBUTION = """\
# Demo articles: where the text comes from

Built by `tools/build_seed_articles.py`; loaded by `flask seed demo` (forum/seed/articles.py).

* `nci.jsonl`: patient pages from cancer.gov, U.S. National Cancer Institute (NCI): U.S.
  Government work, public domain. Shortened; images, image credits and in-page reference markers
  removed. Shown as "Source: National Cancer Institute" with the date the text was retrieved.
  None of them is a PDQ cancer information summary and none is labelled as one (PDQ is NCI's
  registered trademark).
* `medlineplus.jsonl`: MedlinePlus health-topic summaries (U.S. National Library of Medicine,
  public domain) as collected in MedQuAD (Ben Abacha & Demner-Fushman, "A Question-Entailment
  Approach to Question Answering", BMC Bioinformatics 2019; dataset CC BY 4.0). Snapshot of
  about 2015-2017: some facts and links may be out of date.

The demo accounts shown as authors stand in for the experts of a real site: the words are the
source's, and every article page names that source.
"""


def write_jsonl(path: Path, rows: Iterable[Record]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder holding nci_cancer_gov/ and medquad/")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"default: {OUT_DIR}")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    nci = build_nci(load_jsonl(args.data / "nci_cancer_gov" / "nci_cancer_topic_articles.jsonl"))
    medline = build_medlineplus(load_jsonl(args.data / "medquad" / "medquad_qa.jsonl"))
    write_jsonl(out / "nci.jsonl", nci)
    write_jsonl(out / "medlineplus.jsonl", medline)
    (out / "ATTRIBUTION.md").write_text(ATTRIBUTION, encoding="utf-8")
    print(f"wrote {len(nci)} NCI and {len(medline)} MedlinePlus articles to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
