"""Keyword routing: which demo topic a question or a MedQuAD focus name belongs to."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from tools.build_seed_data.topics import Topic

MAX_TAGS = 3


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in keyword.split())
    return re.compile(rf"(?<![a-z0-9]){words}(?:'?s|es)?(?![a-z0-9])")


class Router:
    def __init__(self, topics: Sequence[Topic]) -> None:
        self.topics = list(topics)
        self.patterns: list[list[tuple[str, re.Pattern[str]]]] = [
            [(keyword, keyword_pattern(keyword)) for keyword in topic["keywords"]]
            for topic in self.topics
        ]

    def matches(self, text: str) -> list[Counter[str]]:
        """Per topic: how often each keyword occurs in the text."""
        lowered = text.lower()
        result: list[Counter[str]] = []
        for patterns in self.patterns:
            counts: Counter[str] = Counter()
            for keyword, pattern in patterns:
                found = len(pattern.findall(lowered))
                if found:
                    counts[keyword] = found
            result.append(counts)
        return result

    def route(self, title: str, body: str) -> tuple[int, int, list[str]] | None:
        """Best topic index, its score and its matched keywords (title first), or None.

        A keyword must appear in the title: the body alone mentions too many side issues.
        """
        in_title = self.matches(title)
        in_body = self.matches(body)
        best: tuple[int, int, list[str]] | None = None
        for index, (title_hits, body_hits) in enumerate(zip(in_title, in_body, strict=True)):
            if not title_hits:
                continue
            score = 3 * len(title_hits) + len(body_hits)
            if best is None or score > best[1]:
                order = sorted(
                    set(title_hits) | set(body_hits),
                    key=lambda k: (-title_hits[k], -body_hits[k], k),
                )
                best = (index, score, order)
        return best

    def topic_for_phrase(self, phrase: str) -> int | None:
        """Topic whose keywords best cover a short phrase such as a MedQuAD focus name.

        Longer keywords count more ("vesicoureteral reflux" beats "reflux"), and cancer words
        count double, so "Pituitary Tumors" is filed under Cancer. Earlier topic on ties.
        """
        best: tuple[int, int] | None = None
        for index, hits in enumerate(self.matches(phrase)):
            weight = 2 if self.topics[index]["slug"] == "cancer" else 1
            score = weight * sum(len(keyword.split()) for keyword in hits)
            if score and (best is None or score > best[1]):
                best = (index, score)
        return None if best is None else best[0]


def make_tag(keyword: str) -> str | None:
    tag = re.sub(r"[^a-z0-9]+", "-", keyword.lower()).strip("-")
    return tag if re.fullmatch(r"[a-z][a-z0-9-]{1,34}", tag) else None


def make_tags(keywords: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for keyword in keywords:
        tag = make_tag(keyword)
        if tag and tag not in tags:
            tags.append(tag)
        if len(tags) == MAX_TAGS:
            break
    return tags
