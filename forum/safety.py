"""Reading a post for risk: crisis wording, medicine changes and personal information."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app

# Defaults for FORUM_CRISIS_PHRASES; operators replace the list for their language and region.
CRISIS_PHRASES = (
    "suicide", "suicidal", "kill myself", "killing myself", "end my life", "end it all",
    "want to die", "better off dead", "self-harm", "self harm", "hurt myself", "cutting myself",
    "overdose", "overdosed", "took too many pills", "can't breathe", "cannot breathe",
    "can not breathe", "chest pain", "crushing chest", "no reason to live",
)  # fmt: skip
CRISIS_RESOURCES = (
    {
        "name": "US: 988 Suicide & Crisis Lifeline",
        "detail": "Call or text 988",
        "url": "https://988lifeline.org/",
    },
    {
        "name": "Emergency",
        "detail": "Call your local emergency number (911 in the US, 112 in the EU, 999 in the UK)",
        "url": "",
    },
    {
        "name": "Outside the US",
        "detail": "Find a helpline in your country",
        "url": "https://findahelpline.com/",
    },
)
MEDICATION_PATTERN = re.compile(
    r"\b(\d+(?:\.\d+)?\s?(?:mg|mcg|µg|g|ml|units?|iu)\b"
    r"|(?:stop(?:ped|ping)?|quit(?:ting)?)\s+taking\b"
    r"|(?:stop(?:ped|ping)?|quit(?:ting)?|skip(?:ped|ping)?|double(?:d)?|cut(?:ting)?\s+back|"
    r"come\s+off|coming\s+off|taper(?:ing)?)\s+(?:my\s+|the\s+|taking\s+)?"
    r"(?:\w+\s+)?(?:medicine|medication|meds|pills?|dose|doses|tablets?|insulin|prescription))",
    re.IGNORECASE,
)
PII_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an e-mail address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (
        "a phone number",
        re.compile(
            r"(?<!\w)(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?!\w)"
        ),
    ),
    (
        "a street address",
        re.compile(
            r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|"
            r"Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl)\b\.?"
        ),
    ),
    (
        "a date of birth",
        re.compile(
            r"\b(?:born|birthday|date of birth|dob|d\.o\.b\.)\b[^.\n]{0,20}?"
            r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a medical record or ID number",
        re.compile(
            r"\b(?:mrn|medical record(?: number)?|record (?:no|number)|patient id|nhs number|"
            r"ssn|social security(?: number)?|member id|policy (?:no|number))\b"
            r"(?:\s*(?:is|was|number|no\.?|#|:))?\s*[\w-]*\d[\w-]*",
            re.IGNORECASE,
        ),
    ),
)


@dataclass
class Assessment:
    is_crisis: bool = False
    mentions_medication: bool = False
    personal_information: list[str] = field(default_factory=list)


@lru_cache(maxsize=8)
def _crisis_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p.lower()).replace(r"\ ", r"\s+") for p in phrases if p)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def crisis_phrases() -> tuple[str, ...]:
    configured = current_app.config.get("CRISIS_PHRASES")
    return tuple(configured) if configured else CRISIS_PHRASES


def crisis_resources() -> tuple[dict[str, str], ...]:
    configured = current_app.config.get("CRISIS_RESOURCES")
    return tuple(configured) if configured else CRISIS_RESOURCES


def assess(text: str) -> Assessment:
    """What a post's text asks of us: a crisis panel, a medicine reminder, a PII check."""
    text = text.replace("\u2019", "'")
    found = [label for label, pattern in PII_PATTERNS if pattern.search(text)]
    return Assessment(
        is_crisis=bool(_crisis_pattern(crisis_phrases()).search(text)),
        mentions_medication=bool(MEDICATION_PATTERN.search(text)),
        personal_information=found,
    )
