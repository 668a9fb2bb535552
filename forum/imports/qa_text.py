"""Reference answers as Markdown: the structure and the word breaks the plain source lost.

MedQuAD's answers are web pages flattened to text: bullet lists run inside a paragraph as
" - Item - Item", in-text headings are questions ending a sentence, MedlinePlus pages open
with "Summary :" and close with the institute's name, and dashes around asides were dropped
("Type 2 diabetesthe most common form of diabetesis caused"). Only what the text itself
shows is repaired; the words are never changed otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

# A dropped dash joins a word to the next short word: "diabetes—the" became "diabetesthe".
JOIN_SUFFIXES = ("which", "that", "also", "the", "are", "can", "may", "and", "is", "or", "an", "a")
# Real words of the reference texts that end like a join; never split.
REAL_WORDS = frozenset(
    {
        "within", "factor", "asbestosis", "prepare", "optica", "pasta", "bifida", "imperfecta",
        "sciatica", "fetalis", "testis", "dorsalis", "german", "suppressor", "totalis",
        "parkin", "matrin", "sacsin", "breathe", "compare", "declare", "physician",
    }
)  # fmt: skip
_TOKEN = re.compile(r"\b[A-Za-z]{5,}\b")
# " - Item": a flattened bullet (a capital or digit follows the dash; "- pressure" does not).
_BULLET = re.compile(r"(?:(?<=\s)|^)- (?=[A-Z0-9(\"'])")
# A list's last item runs into the paragraph after it: "sweating These symptoms ...".
_AFTER_LIST = re.compile(
    r"(?<=[a-z0-9)%,.]) (?=(?:The|These|This|That|There|They|It|Its|If|In|For|When|Many|Most|"
    r"Some|Other|People|You|Your|Ask|Talk|Call|Treatment|Tests?|Doctors?|Learn|See|Also|"
    r"What|How|Why|Who|Each|About|Because|NIH:|Centers) )"
)
# A question ending a sentence inside an answer is the page's sub-heading.
_HEADING = re.compile(r"(?<=[.!?] )([A-Z][^.!?\n]{8,110}\?) (?=[A-Z])")
_SUMMARY = re.compile(r"^\s*Summary\s*:\s*")
_INSTITUTE = re.compile(r"\s+((?:NIH|CDC|FDA|NLM): [A-Z][A-Za-z ,'&-]{4,120})\s*$")
# Reference sites that were retired after MedQuAD was collected (2015-2017).
RETIRED_HOSTS = {
    "nihseniorhealth.gov": "NIHSeniorHealth was retired in 2018",
    "www.nihseniorhealth.gov": "NIHSeniorHealth was retired in 2018",
    "ghr.nlm.nih.gov": "Genetics Home Reference moved to MedlinePlus Genetics in 2020",
}


def repair_joins(text: str) -> str:
    """Put back the dash that joined a word to the next ("diabetesthe" -> "diabetes—the").

    A token is a join only when its first part also stands alone in the same text and the
    token itself is not a word (REAL_WORDS) or another standalone word of the text.
    """
    words = Counter(word.lower() for word in re.findall(r"[A-Za-z]+", text))

    def split(match: re.Match[str]) -> str:
        token = match.group(0)
        lower = token.lower()
        if lower in REAL_WORDS:
            return token
        for suffix in JOIN_SUFFIXES:
            head = lower[: -len(suffix)]
            if lower.endswith(suffix) and len(head) >= 4 and words[head] > 0:
                if words[lower] > 1 and words[lower] >= words[head]:
                    return token  # used as often as its head: a word of its own
                return f"{token[: len(head)]}\u2014{token[len(head) :]}"
        return token

    return _TOKEN.sub(split, text)


def _paragraph_markdown(paragraph: str) -> list[str]:
    """One source paragraph as Markdown blocks: text, bullet lists and sub-headings."""
    blocks: list[str] = []
    text = _HEADING.sub(lambda m: f"\n\n#### {m.group(1)}\n\n", paragraph)
    for chunk in (part.strip() for part in text.split("\n\n")):
        if not chunk:
            continue
        if chunk.startswith("#### "):
            blocks.append(chunk)
            continue
        parts = [part.strip() for part in _BULLET.split(chunk)]
        if len(parts) < 3:  # one dash is punctuation, not a list
            blocks.append(chunk)
            continue
        lead, items = parts[0], [part for part in parts[1:] if part]
        tail = ""
        if items:
            last = _AFTER_LIST.split(items[-1], maxsplit=1)
            items[-1], tail = last[0].strip(), (last[1].strip() if len(last) > 1 else "")
        if lead:
            blocks.append(lead)
        blocks.append("\n".join(f"- {item}" for item in items))
        if tail:
            blocks.append(tail)
    return blocks


def answer_markdown(answer: str) -> str:
    """A flattened reference answer as Markdown with its lists, headings and paragraphs."""
    text = _SUMMARY.sub("", answer.replace("\x00", "").replace("\r\n", "\n")).strip()
    institute = _INSTITUTE.search(text)
    if institute is not None:
        text = text[: institute.start()]
    blocks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", repair_joins(text)):
        if paragraph.strip():
            blocks.extend(_paragraph_markdown(" ".join(paragraph.split())))
    if institute is not None:
        blocks.append(f"*{institute.group(1)}*")
    return "\n\n".join(blocks)


def retired_note(url: str | None) -> str | None:
    """Why a reference link no longer works as it did, if its site was retired."""
    if not url:
        return None
    return RETIRED_HOSTS.get(urlsplit(url).netloc.lower())


# MedQuAD's source codes and the agencies that wrote the pages.
AGENCIES = {
    "CancerGov": "National Cancer Institute",
    "GARD": "Genetic and Rare Diseases Information Center",
    "GHR": "Genetics Home Reference (National Library of Medicine)",
    "MPlusHealthTopics": "MedlinePlus (National Library of Medicine)",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases",
    "NINDS": "National Institute of Neurological Disorders and Stroke",
    "NIHSeniorHealth": "NIHSeniorHealth (National Institutes of Health)",
    "NHLBI": "National Heart, Lung, and Blood Institute",
    "CDC": "Centers for Disease Control and Prevention",
}


def agency_name(source: str | None) -> str | None:
    """The agency behind a MedQuAD source code (or the given name as it is)."""
    if not source:
        return None
    return AGENCIES.get(source, source)
