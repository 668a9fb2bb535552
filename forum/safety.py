"""Reading a post for risk: crisis wording, medicine changes and personal information.

Every pattern here runs on bodies of up to 20,000 characters in the request: each one must
read a text in linear time (no unbounded repetition that can be retried from every position),
which tests/test_screening_speed.py checks with the worst bodies known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from forum import crisis
from forum.crisis_rules import CrisisKind
from forum.models import REASON_PRIORITY, ReportReason

MEDICATION_PATTERN = re.compile(
    r"\b(\d+(?:\.\d+)?\s?(?:mg|mcg|µg|g|ml|units?|iu)\b"
    r"|(?:stop(?:ped|ping)?|quit(?:ting)?)\s+taking\b"
    r"|(?:stop(?:ped|ping)?|quit(?:ting)?|skip(?:ped|ping)?|double(?:d)?|cut(?:ting)?\s+back|"
    r"come\s+off|coming\s+off|taper(?:ing)?)\s+(?:my\s+|the\s+|taking\s+)?"
    r"(?:\w+\s+)?(?:medicine|medication|meds|pills?|dose|doses|tablets?|insulin|prescription))",
    re.IGNORECASE,
)
PII_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # The local part starts where a run of its characters starts (never inside one), and is
    # at most 64 characters: "a.a.a.a..." is then read once, not once per dot.
    ("an e-mail address", re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+\b")),
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
            # The number's first digit within 24 characters: "ssn-ssn-ssn-..." is read once.
            r"(?:\s*(?:is|was|number|no\.?|#|:))?\s*[\w-]{0,24}?\d[\w-]*",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class CrisisReport:
    """The automatic report a crisis raises for the moderators, and the post's crisis kind."""

    kind: str
    reason: ReportReason
    priority: int
    note: str


# Self-harm comes first in the queue; a medical emergency comes next, ahead of every ordinary
# report (a member's self-harm report has the same priority and is listed before it).
CRISIS_REPORTS = {
    CrisisKind.SELF_HARM: CrisisReport(
        CrisisKind.SELF_HARM.value,
        ReportReason.SELF_HARM,
        REASON_PRIORITY[ReportReason.SELF_HARM] - 1,
        "Self-harm wording detected automatically.",
    ),
    CrisisKind.MEDICAL_EMERGENCY: CrisisReport(
        CrisisKind.MEDICAL_EMERGENCY.value,
        ReportReason.OTHER,
        REASON_PRIORITY[ReportReason.SELF_HARM],
        "Medical emergency wording (chest pain, stroke signs or an overdose taken) detected "
        "automatically.",
    ),
}


@dataclass
class Assessment:
    # is_crisis may be switched off (experts' clinical wording); crisis_kind says which.
    is_crisis: bool = False
    crisis_kind: CrisisKind | None = None
    mentions_medication: bool = False
    personal_information: list[str] = field(default_factory=list)

    @property
    def crisis_report(self) -> CrisisReport | None:
        """The report to raise, if the text is a crisis."""
        return CRISIS_REPORTS[self.crisis_kind] if self.is_crisis and self.crisis_kind else None


def crisis_phrases() -> dict[str, Any]:
    """The crisis wording by kind, for the compose form's live panel (forum/static/js)."""
    return crisis.client_rules()


def crisis_resources() -> dict[CrisisKind, tuple[dict[str, str], ...]]:
    """Where to turn, per kind of crisis."""
    return crisis.resources()


def assess(text: str) -> Assessment:
    """What a post's text asks of us: a crisis panel, a medicine reminder, a PII check."""
    text = text.replace("\u2019", "'")
    found = [label for label, pattern in PII_PATTERNS if pattern.search(text)]
    kinds = crisis.detect(text, crisis.configured_rules())
    return Assessment(
        is_crisis=bool(kinds),
        crisis_kind=kinds[0] if kinds else None,
        mentions_medication=bool(MEDICATION_PATTERN.search(text)),
        personal_information=found,
    )
