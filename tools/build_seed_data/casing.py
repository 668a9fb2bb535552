"""MedQuAD questions as natural titles: "What is (are) Type 2 Diabetes ?" -> "What is type 2
diabetes?", with focus names cased as the answers write them."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from tools.build_seed_data.focus import FOCUS_PREFIX_RE, Record
from tools.build_seed_data.messages import clean_line

# Length of a forum thread title.
TITLE_MIN, TITLE_MAX = 10, 150

# Natural casing of MedQuAD focus names inside titles ("Type 2 Diabetes" -> "type 2 diabetes",
# but "Down Syndrome" -> "Down syndrome"), learnt from how the answers themselves write them.
MID_SENTENCE_WORD_RE = re.compile(r"(?<=[a-z,;] )([A-Za-z][A-Za-z'\u2019-]*)")


# Proper names that are also ordinary words ("Down syndrome", "Graves' disease").
KEEP_CAPITALISED = frozenset({"Down", "Graves", "Still", "Bell", "Lou", "Gehrig"})
# Ordinary words too rare in the answers for the statistics to tell.
ALWAYS_LOWER = frozenset({"Infarct"})


class Casing:
    """Write a focus name as the answers write it mid-sentence, e.g. "hiatal hernia"."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.counts: Counter[str] = Counter()
        self.answers: dict[str, list[str]] = defaultdict(list)
        for record in records:
            self.answers[record["focus"]].append(record["answer"])
            for word in MID_SENTENCE_WORD_RE.findall(record["answer"]):
                self.counts.update(re.sub(r"['\u2019]s$", "", word).split("-"))

    def _is_name(self, word: str) -> bool:
        """A capitalised word that the answers write capitalised mid-sentence (almost) always."""
        if word in KEEP_CAPITALISED:
            return True
        if word in ALWAYS_LOWER or not re.fullmatch(r"[A-Z][a-z]+", word):
            return False
        capitalised, lower = self.counts[word], self.counts[word.lower()]
        return capitalised >= 2 and 4 * lower < capitalised

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if re.search(r"['\u2019]s?$", word):
            return word  # possessive eponyms: "Hashimoto's", "Graves'"
        parts = word.split("-")
        if any(self._is_name(part) for part in parts):
            return word  # "Charcot-Marie-Tooth", "Parkinson"
        return "-".join(p.lower() if re.fullmatch(r"[A-Z][a-z]+", p) else p for p in parts)

    def _as_written(self, focus: str, phrase: str) -> Counter[str]:
        """Mid-sentence spellings of the phrase in its own answers, with their counts."""
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        pattern = re.compile(rf"(?:(?<=\w )|(?<=\w, )|(?<=\w; ))({body})(?![\w-])", re.I)
        variants: Counter[str] = Counter()
        for answer in self.answers.get(focus, []):
            variants.update(clean_line(m) for m in pattern.findall(answer))
        return variants

    def natural(self, focus: str) -> str:
        """Word statistics first; a spelling seen in the answers wins if it has fewer capitals
        ("Hiatal hernia" -> "hiatal hernia", "Non-Hodgkin" -> "non-Hodgkin")."""
        phrase = FOCUS_PREFIX_RE.sub("", clean_line(focus))
        by_words = re.sub(r"[A-Za-z][A-Za-z-]*(?:['\u2019]s?)?", self._word, phrase)
        capitals = sum(c.isupper() for c in by_words)
        variants = self._as_written(focus, phrase)
        needed = max(2, variants[by_words])
        lower = [
            v for v in variants if sum(c.isupper() for c in v) < capitals and variants[v] >= needed
        ]
        if lower:
            return min(lower, key=lambda v: (-variants[v], sum(c.isupper() for c in v), v))
        return by_words


SINGULAR_ENDING_S = {
    "diabetes",
    "herpes",
    "rabies",
    "measles",
    "mumps",
    "shingles",
    "rickets",
    "scabies",
    "aids",
    "hiv/aids",
    "lupus",
    "mellitus",
    "insipidus",
    "sepsis",
    "stenosis",
    "prediabetes",
    "lymphedema",
}


def is_plural(phrase: str) -> bool:
    """Whether "What is/are <phrase>" needs "are", judged on the head noun phrase."""
    head = re.split(r"\s+(?:in|with|of|and|for)\s+|[:(,]", phrase, maxsplit=1, flags=re.I)[0]
    words = head.split()
    if not words:
        return False
    last = words[-1].lower().strip(".,")
    if last in SINGULAR_ENDING_S:
        return False
    if last.endswith("ae"):
        return True  # "sequelae"
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "'s", "\u2019s"))


# MedQuAD focus names that are really titles of booklets ("4 Steps to Manage Your Diabetes for
# Life", "Kidney Failure: What to Expect") make poor questions; the reference set skips them.
BOOKLET_FOCUS_RE = re.compile(
    r"[:?]|--|\b(?:your|you|i|my|what|how)\b|^(?:\d|am\b|prevent|causes|monitor|financial|facing"
    r"|overview|nutrition|treatment|diagnosis|national|smoking|taking|living|eat)",
    re.I,
)


NOT_A_CONDITION_RE = re.compile(
    r"\b(?:caregivers|rehabilitation|transplantation|surgery|screening|tests?|therapy|medicines"
    r"|diet)$",
    re.I,
)


def clean_question(record: Record, casing: Casing) -> str:
    """Turn "What is (are) Type 2 Diabetes ?" into "What is type 2 diabetes?".

    MedlinePlus's "Do you have information about X" questions (used for things that are not
    conditions, like "Dialysis") and a few "What is" ones such as "Alzheimer's Caregivers"
    become "What should I know about x?".
    """
    question = clean_line(str(record["question"]))
    focus = clean_line(str(record["focus"]))
    natural = casing.natural(focus)
    if focus and focus in question:
        question = question.replace(focus, natural)
    what_is = re.match(r"(?i)what is \(are\)\s+(.*?)\s*\??$", question)
    info = re.match(r"(?i)do you have information about\s+(.*?)\s*\??$", question)
    about = info or (what_is if what_is and NOT_A_CONDITION_RE.search(natural) else None)
    if about:
        question = f"What should I know about {about.group(1)}?"
    elif what_is:
        verb = "are" if is_plural(natural) else "is"
        question = f"What {verb} {what_is.group(1)}?"
    question = re.sub(r"\s+\?", "?", question)
    question = re.sub(r"\?+", "?", question).strip()
    if not question.endswith("?"):
        question += "?"
    return question[0].upper() + question[1:]
