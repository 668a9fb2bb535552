"""Write forum/search/synonyms.txt: the curated lay/clinical groups plus drug names.

The curated groups are copied from forum/search/synonyms_curated.txt. The drug groups come
from the shared drug name dictionary (DrugBank vocabulary, MeSH, MedlinePlus; see its
README). Only consumer drugs (those with a MedlinePlus or NHS page) are kept, each with a
few unambiguous one-word brand names or alternative generic names:

    python -m tools.build_drug_synonyms ../shared/data/drug_names_dictionary \
        --english ../shared/data/medquad/medquad_qa.jsonl \
        --english ../shared/data/medicationqa_medinfo2019/medicationqa.jsonl \
        --english ../shared/data/meqsum/meqsum_consumer_questions.jsonl

The --english texts (consumer questions and answers) rank the names: those people mention
come first, and everyday words that happen to be brand names ("relief") are left out.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import re
from pathlib import Path

from forum.search.query import STOP_WORDS, words_of
from forum.search.synonyms import SHIPPED

CURATED = SHIPPED.with_name("synonyms_curated.txt")
NAMES_PER_DRUG = 6
COMMON_WORD_COUNT = 30
_NAME = re.compile(r"[a-z]{4,20}")
_HEADER = """\
# Brand and generic drug names, derived from the drug name dictionary (DrugBank open
# vocabulary, CC0; MeSH and MedlinePlus, NLM) by `python -m tools.build_drug_synonyms`.
# Consumer drugs only (a MedlinePlus or NHS page), at most {per} names each.
"""


def common_drugs(drugs_csv: Path) -> list[str]:
    """Canonical keys of single-ingredient drugs that have a consumer information page."""
    keys = []
    with drugs_csv.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            key = re.sub(r"\s*\(.*?\)", "", row["canonical_key"]).strip()
            if not (row["medline_plus_id"] or row["nhs_url"]):
                continue
            if re.search(r",|/| and |\d", key) or not 0 < len(words_of(key)) <= 3:
                continue
            keys.append(key)
    return sorted(set(keys))


def word_counts(paths: list[Path]) -> collections.Counter[str]:
    """How often each word occurs in the text fields of some JSONL files."""
    counts: collections.Counter[str] = collections.Counter()
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                text = " ".join(v for v in record.values() if isinstance(v, str))
                counts.update(words_of(text))
    return counts


def drug_groups(directory: Path, english: list[Path]) -> list[list[str]]:
    """Groups of [generic, other names...] for the common drugs."""
    wanted = set(common_drugs(directory / "drugs.csv"))
    owners: dict[str, set[str]] = collections.defaultdict(set)
    names: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    with (directory / "drug_name_variants.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            variant, key = row["variant"].strip(), row["canonical_key"].strip()
            owners[variant].add(key)
            if key in wanted and _NAME.fullmatch(variant):
                names[key].append((0 if row["is_brand"] == "1" else 1, variant))
    mentions = word_counts(english)
    groups = []
    for key in sorted(wanted):
        chosen: list[str] = []
        ranked = sorted(names.get(key, []), key=lambda i: (-mentions[i[1]], i[0], len(i[1])))
        for _, name in ranked:
            # Spelling variants of the generic name ("acarbosa", "acarbosum") add nothing.
            if name == key or name[:5] == key[:5] or len(owners[name]) > 1:
                continue
            if name in wanted or name in STOP_WORDS or mentions[name] >= COMMON_WORD_COUNT:
                continue
            chosen.append(name)
            if len(chosen) == NAMES_PER_DRUG:
                break
        if chosen:
            groups.append([key, *chosen])
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the drug_names_dictionary folder")
    parser.add_argument("--english", type=Path, action="append", default=[], help="JSONL text")
    parser.add_argument("--output", type=Path, default=SHIPPED)
    args = parser.parse_args()
    groups = drug_groups(args.directory, args.english)
    text = (
        CURATED.read_text(encoding="utf-8").rstrip() + "\n\n" + _HEADER.format(per=NAMES_PER_DRUG)
    )
    text += "".join(" | ".join(group) + "\n" for group in groups)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(groups)} drug groups to {args.output} ({len(text.encode()) // 1024} KB)")


if __name__ == "__main__":
    main()
