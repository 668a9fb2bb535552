"""Build the drug directory files in `forum/drugs/data/` from the shared public datasets.

A maintainer tool: the app never runs it. Run it from the project's virtualenv (its own code
uses only the standard library); the output is deterministic:

    python -m tools.build_drug_data /work/shared/data

reads `drug_names_dictionary`, `drug_indications`, `fda_label_excerpts_nlm_ddi_corpus`,
`nci_cancer_gov` (drug summaries), `ddi_ansm_worldvista_en` and `ddi_onc_high_priority`
(see drug_interactions.py) and writes the compact files `flask import drugs` loads. Each
dataset's README gives its origin and licence; ATTRIBUTION.md in the output repeats them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from forum.drug_names import combo_parts, normalize, slugify
from tools.drug_dictionary import Row, Vocabulary, read_csv, read_jsonl
from tools.drug_interactions import Interactions, build_interactions

OUT_DIR = Path(__file__).resolve().parents[1] / "forum" / "drugs" / "data"
# Everyday words that are also drug names: never linked in posts.
LINK_EXCLUDED = frozenset(
    {
        "alli", "atra", "betaine", "cortisol", "estrogen", "folate", "luminal", "phospholipids",
        "potassium", "progesterone", "rela", "senna", "testosterone", "thyroid", "urso",
    }
)  # fmt: skip
LINK_MIN_LETTERS = 4
LINK_MAX_WORDS = 4
_LINKABLE = re.compile(r"[a-z0-9][a-z0-9' .-]*[a-z0-9]")
_NCI_CUT = re.compile(r"^## (More About|Research Results|Clinical Trials)", re.MULTILINE)
_NCI_BRANDS = re.compile(r"US Brand Name\(s\)\s*\n\n(.+?)\n\n", re.DOTALL)
_MESH_INVERTED = re.compile(r"^([^,]+), ([^,]+)$")


def nhs_slug(url: str) -> str:
    """The medicine's slug from the dictionary's mangled NHS URL."""
    match = re.search(r"/medicines/([a-z0-9-]+)/?$", url)
    return match.group(1) if match else ""


def condition_name(raw: str) -> str:
    """MeSH "Arthritis, Rheumatoid" -> "Rheumatoid arthritis"; lower-case common words."""
    text = " ".join(raw.split())
    match = _MESH_INVERTED.match(text)
    if match:
        text = f"{match.group(2)} {match.group(1)}"
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in text.split()]
    sentence = " ".join(words)
    return sentence[:1].upper() + sentence[1:]


def indications(folder: Path, vocab: Vocabulary) -> list[Row]:
    rows: list[Row] = []
    by_drugbank = vocab.by_drugbank_id()
    for row in read_csv(folder / "pharmacotherapydb_indications.tsv", "\t"):
        key = by_drugbank.get(row["drugbank_id"]) or vocab.resolve(row["drug"])
        if key and row["category"] in ("DM", "SYM"):
            rows.append(
                {
                    "key": key,
                    "condition": condition_name(row["disease"]),
                    "source": "pharmacotherapydb",
                    "category": row["category"],
                    "detail": row["n_curators"],
                }
            )
    for row in read_csv(folder / "labeledin_indications.tsv", "\t"):
        key = vocab.resolve(row["rxnorm_name"])
        if key and row["disease_mesh_name"].strip():
            rows.append(
                {
                    "key": key,
                    "condition": condition_name(row["disease_mesh_name"]),
                    "source": "labeledin",
                    "category": "",
                    "detail": row["n_labels"],
                }
            )
    unique = {(r["key"], r["condition"].lower(), r["source"]): r for r in reversed(rows)}
    return sorted(unique.values(), key=lambda r: (r["key"], r["condition"].lower(), r["source"]))


def label_texts(data: Path, vocab: Vocabulary) -> list[dict[str, Any]]:
    """One "Indications and usage" section (2012) and one warnings excerpt (2014) per drug."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    sections = data / "drug_indications" / "labeledin_indication_sections.jsonl"
    for record in read_jsonl(sections):
        key = vocab.resolve(" and ".join(n for n in record["ingredient_names"] if n))
        text = record["indications_and_usage"].strip()
        if key and text and (key, "indications") not in chosen:
            chosen[(key, "indications")] = {
                "key": key,
                "kind": "indications",
                "setid": record["setid"],
                "title": "",
                "text": text,
            }
    excerpts = data / "fda_label_excerpts_nlm_ddi_corpus" / "label_excerpts.jsonl"
    for record in read_jsonl(excerpts):
        key = vocab.resolve(record.get("generic_name") or "") or vocab.resolve(
            record.get("brand_name") or ""
        )
        if not key:
            continue
        brand = (record.get("brand_name") or "").strip()
        if brand and normalize(brand) != normalize(record.get("generic_name") or ""):
            vocab.brands[key].setdefault(normalize(brand), brand)
        current = chosen.get((key, "warnings"))
        if current is None or len(record["text"]) > len(current["text"]):
            chosen[(key, "warnings")] = {
                "key": key,
                "kind": "warnings",
                "setid": record["setid"],
                "title": record["title"].strip(),
                "text": record["text"].strip(),
            }
    return [chosen[k] for k in sorted(chosen)]


def nci_summaries(folder: Path, vocab: Vocabulary) -> list[dict[str, Any]]:
    """Plain-language NCI drug summaries, cut before the link lists, one per drug."""
    found: dict[str, dict[str, Any]] = {}
    for record in read_jsonl(folder / "nci_cancer_drug_summaries.jsonl"):
        title = record["title"].strip()
        key = None if title.lower().startswith("drugs approved") else vocab.resolve(title)
        if not key or key in found:
            continue
        markdown = _NCI_CUT.split(record["markdown"], maxsplit=1)[0]
        markdown = re.sub(r"^# .*\n+", "", markdown).strip()
        brands = _NCI_BRANDS.search(record["markdown"])
        if brands:
            for brand in re.split(r"\n+|, ", brands.group(1)):
                if brand.strip() and len(brand) < 60:
                    vocab.brands[key].setdefault(normalize(brand), brand.strip())
        found[key] = {
            "key": key,
            "title": title,
            "url": record["url"],
            "retrieved": record["retrieved"],
            "markdown": markdown,
        }
    return [found[k] for k in sorted(found)]


def display_name(variant: str, brand: str | None) -> str:
    return brand or variant[:1].upper() + variant[1:]


def is_linkable(name: str, consumer: bool) -> bool:
    letters = sum(ch.isalpha() for ch in name)
    return (
        consumer
        and letters >= LINK_MIN_LETTERS
        and len(name.split()) <= LINK_MAX_WORDS
        and bool(_LINKABLE.fullmatch(name))
        and name not in LINK_EXCLUDED
    )


def write_vocabulary(
    out: Path, vocab: Vocabulary, listed: list[str], consumer: set[str]
) -> tuple[int, int]:
    """drugs.csv.gz (one row per drug) and names.csv.gz (brand names and synonyms)."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    # Plain names choose first: "menthol" gets /drugs/menthol before "(+)-menthol".
    for key in sorted(listed, key=lambda k: (slugify(k) != k.replace(" ", "-"), len(k), k)):
        slug = base = slugify(key)
        number = 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs[key] = slug
    drug_rows = []
    for key in listed:
        row = vocab.drugs[key]
        drug_rows.append(
            [key, slugs[key], row["name"].strip() or key, row["drugbank_id"],
             row["medline_plus_id"], nhs_slug(row["nhs_url"]), row["wikipedia_url"],
             "1" if is_linkable(key, key in consumer) else "0", "1" if key in consumer else "0"]
        )  # fmt: skip
    write_csv(
        out / "drugs.csv.gz",
        [
            "key",
            "slug",
            "name",
            "drugbank_id",
            "medline_plus_id",
            "nhs_slug",
            "wikipedia_url",
            "link",
            "common",
        ],
        drug_rows,
    )
    members: dict[str, list[str]] = defaultdict(list)
    for alias, target in vocab.aliases.items():
        members[target].append(alias)
    name_rows = []
    for key in listed:
        seen = {normalize(key)}
        brands = vocab.brands.get(key, {})
        entries = [(v, b) for k in [key, *members[key]] for v, b in vocab.variants[k]]
        entries += [(normalize(alias), "") for alias in members[key]]
        entries += [(brand, "1") for brand in brands]
        for variant, is_brand in sorted(entries):
            if variant in seen:
                continue
            seen.add(variant)
            kind = "brand" if is_brand == "1" or variant in brands else "synonym"
            name_rows.append(
                [key, display_name(variant, brands.get(variant)), kind,
                 "1" if is_linkable(variant, key in consumer) else "0"]
            )  # fmt: skip
    write_csv(out / "names.csv.gz", ["key", "name", "kind", "link"], name_rows)
    return len(drug_rows), len(name_rows)


def write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    _fix_gzip_time(path)


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    _fix_gzip_time(path)


def _fix_gzip_time(path: Path) -> None:
    """Zero the gzip header's timestamp so the same input gives byte-identical files."""
    if path.suffix == ".gz":
        data = bytearray(path.read_bytes())
        data[4:8] = b"\0\0\0\0"
        path.write_bytes(bytes(data))


def build(data: Path, out: Path) -> dict[str, int]:
    vocab = Vocabulary(data / "drug_names_dictionary")
    indication_rows = indications(data / "drug_indications", vocab)
    labels = label_texts(data, vocab)
    summaries = nci_summaries(data / "nci_cancer_gov", vocab)
    interactions: Interactions = build_interactions(data, vocab.resolve, vocab.by_drugbank_id())
    referenced = (
        {r["key"] for r in indication_rows}
        | {r["key"] for r in labels}
        | {r["key"] for r in summaries}
        | interactions.drug_keys()
    )
    listed = sorted({k for k in vocab.drugs if vocab.is_listed(k)} | referenced)
    parts = {k: [vocab.resolver.single(p) for p in combo_parts(k)] for k in listed}
    ingredients = sorted(
        [k, p] for k, ps in parts.items() if ps and all(ps) for p in set(ps) if p and p != k
    )
    listed = sorted(set(listed) | {p for _, p in ingredients})
    consumer = (
        {k for k in listed if vocab.drugs[k]["medline_plus_id"] or vocab.drugs[k]["nhs_url"]}
        | {r["key"] for r in indication_rows}
        | {r["key"] for r in labels}
        | {r["key"] for r in summaries}
    )
    out.mkdir(parents=True, exist_ok=True)
    drug_count, name_count = write_vocabulary(out, vocab, listed, consumer)
    write_csv(out / "ingredients.csv", ["key", "ingredient"], ingredients)
    write_csv(
        out / "indications.csv",
        ["key", "condition", "source", "category", "detail"],
        (
            [r["key"], r["condition"], r["source"], r["category"], r["detail"]]
            for r in indication_rows
        ),
    )
    write_jsonl(out / "labels.jsonl.gz", labels)
    write_jsonl(out / "nci_summaries.jsonl.gz", summaries)
    interactions.write(out, write_csv)
    return {
        "drugs": drug_count,
        "names": name_count,
        "ingredients": len(ingredients),
        "indications": len(indication_rows),
        "labels": len(labels),
        "nci_summaries": len(summaries),
        **interactions.counts(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    counts = build(args.data, args.out)
    print(", ".join(f"{name} {count}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
