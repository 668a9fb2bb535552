"""Drug names in posts become links to their drug page.

Whole words only, names of at least 4 letters that are not everyday words (chosen at build
time: DrugName.is_linkable), never inside links or code (forum.text applies the finder to
plain text only), and each drug at most once per post.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from forum.drugs import caches
from forum.extensions import db
from forum.models import Drug, DrugName

# A word: letters and digits, with inner apostrophes, hyphens or dots ("co-trimoxazole").
WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")
# Between the words of one name: spaces, after an optional dot ("St. John's wort").
GAP = re.compile(r"\.?[ \t]+")
TermFinder = Callable[[str], Iterator[tuple[int, int, str]]]


@dataclass(frozen=True)
class LinkTable:
    """Linkable names as tuples of lower-case words, mapped to drug slugs."""

    names: dict[tuple[str, ...], str]
    longest: int


def words_key(text: str) -> tuple[str, ...]:
    return tuple(word.lower().replace("\u2019", "'") for word in WORD.findall(text))


def _build_table() -> LinkTable:
    rows = db.session.execute(
        select(DrugName.name, Drug.slug)
        .join(Drug, Drug.id == DrugName.drug_id)
        .where(DrugName.is_linkable, Drug.is_listed)
    )
    names: dict[tuple[str, ...], str] = {}
    for name, slug in rows:
        key = words_key(name)
        if key:
            names.setdefault(key, slug)
    return LinkTable(names, max((len(k) for k in names), default=0))


def link_table() -> LinkTable:
    return caches.cached("link_table", _build_table)


def drug_term_finder() -> TermFinder:
    """A finder for one post: yields (start, end, url) of drug names, each drug once."""
    table = link_table()
    linked: set[str] = set()

    def find(text: str) -> Iterator[tuple[int, int, str]]:
        if not table.names:
            return
        matches = list(WORD.finditer(text))
        index = 0
        while index < len(matches):
            size, slug = _longest_name_at(text, matches, index, table)
            if slug is None:
                index += 1
                continue
            if slug not in linked:
                linked.add(slug)
                start, end = matches[index].start(), matches[index + size - 1].end()
                yield start, end, url_for("drugs.show", slug=slug, _external=False)
            index += size

    return find


def _longest_name_at(
    text: str, matches: list[re.Match[str]], index: int, table: LinkTable
) -> tuple[int, str | None]:
    """The longest known name of words from `index` (joined by spaces only): size, slug."""
    words: list[str] = []
    words_end = matches[index].start()
    for match in matches[index : index + table.longest]:
        if words and not GAP.fullmatch(text, words_end, match.start()):
            break
        words.append(match.group().lower().replace("\u2019", "'"))
        words_end = match.end()
    for size in range(len(words), 0, -1):
        slug = table.names.get(tuple(words[:size]))
        if slug is not None:
            return size, slug
    return 0, None
