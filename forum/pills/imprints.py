"""Imprint normalization shared by the importer, the search and the benchmark.

An imprint is read the way a person would type it: case, spaces, `;` and other separators do
not matter, and the letters people confuse with digits are folded (O is 0; I and l are 1).
A typed part matches the start of a part of the imprint and may run on into the next parts
("PD 15", "VGR50", "155 10"); a single typed character matches only a lone letter or digit
("5" finds "M 5" and "5X", not "50").
Standard library only.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TOKEN = 60
MAX_QUERY_PARTS = 6
# Upper-case ASCII letters and digits in sort order: the same in every collation.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_SEGMENT = re.compile(r"[A-Z]+|[0-9]+")
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def parts_of(text: str) -> list[str]:
    """The letters-and-digits runs of a text, upper case: "PD;155;10" -> PD, 155, 10."""
    plain = unicodedata.normalize("NFKC", text).upper()
    return [part for part in _NOT_ALNUM.split(plain) if part]


def fold(part: str) -> str:
    """0/O and 1/I/L are one character."""
    return part.translate(_FOLD)


def imprint_key(raw: str) -> str:
    """The whole imprint, normalized: "PD;155;10" -> "PD15510", "VGR50;Pfizer" -> "VGR50PF1ZER"."""
    return fold("".join(parts_of(raw)))[:200]


def display(raw: str) -> str:
    """An imprint as people read it: "PD;155;10" -> "PD 155 10"."""
    return " ".join(part.strip() for part in raw.split(";") if part.strip())


def tokens(raw: str) -> list[str]:
    """Where the imprint can start to be read: from each part and each change between letters
    and digits to the end ("VGR50;Pfizer" -> VGR50PF1ZER, 50PF1ZER, PF1ZER), plus each
    one-character part on its own (a single typed character matches only such a part)."""
    segments = [segment for part in parts_of(raw) for segment in _SEGMENT.findall(part)]
    found = {fold("".join(segments[start:]))[:MAX_TOKEN] for start in range(len(segments))}
    found.update(fold(segment) for segment in segments if len(segment) == 1)
    return sorted(found)


def query_parts(text: str) -> list[str]:
    """What was typed, as parts that must each start one of a pill's tokens ("pd 155")."""
    parts = [fold(part)[:MAX_TOKEN] for part in parts_of(text)]
    return list(dict.fromkeys(parts))[:MAX_QUERY_PARTS]


def prefix_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with `prefix` (None: no bound)."""
    trimmed = prefix.rstrip(ALPHABET[-1])
    if not trimmed:
        return None
    return trimmed[:-1] + ALPHABET[ALPHABET.index(trimmed[-1]) + 1]
