"""The wording forum/crisis.py looks for, and where it sends people.

Patterns are regular expressions in the syntax Python and JavaScript share (the compose form's
live panel runs them too). They read lower-cased text, and each one matches only from the start
of a word: the code checks that, so the patterns start with a literal word, not `\\b` (the
engine can then skip ahead, which keeps a 20,000-character post fast to read).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class CrisisKind(enum.StrEnum):
    SELF_HARM = "self-harm"
    MEDICAL_EMERGENCY = "medical-emergency"


@dataclass(frozen=True)
class Rules:
    """How one kind of crisis reads in a sentence."""

    kind: CrisisKind
    # Statements: plain phrases (a setting) and patterns; negation is the only way out.
    phrases: tuple[str, ...]
    patterns: tuple[str, ...]
    # Words that count only about someone near the writer, outside a general question.
    topics: str
    # A general question: "does X cause ...", "side effect", "maximum dose".
    informational: str
    # Emergencies only: what makes it now, and what makes it history.
    acute: str | None = None
    past: str | None = None


# Defaults for FORUM_CRISIS_PHRASES: statements of self-harm.
CRISIS_PHRASES = (
    "kill myself", "killing myself", "kill himself", "kill herself", "killing himself",
    "killing herself", "end my life", "end my own life", "ending my life", "take my own life",
    "taking my own life", "end it all", "ending it all", "want to end it", "going to end it",
    "end it tonight", "better off dead", "better off without me", "no reason to live",
    "nothing to live for", "suicide note",
)  # fmt: skip
# Defaults for FORUM_EMERGENCY_PHRASES: statements of a medical emergency happening now.
EMERGENCY_PHRASES = (
    "took too many pills", "taken too many pills", "took too many tablets",
    "crushing chest pain", "crushing pain in my chest", "won't wake up", "will not wake up",
    "not waking up", "unresponsive",
)  # fmt: skip

# The writer, their family or friends, "he" or "she".
PERSONAL = (
    r"(?:i|i'?m|i'?ve|i'?d|me|my|myself|we|our|he|she|he'?s|she'?s|hes|shes|his|her|him|son"
    r"|daughter|wife|husband|partner|friend|mom|mum|mother|dad|father|brother|sister|child|kid"
    r"|baby|toddler)\b"
)
_SUBJECT = r"(?:i|he|she|they|baby|(?:my|our)(?:\s+[\w'-]+){1,4}?)"
_PILLS = r"(?:pills|tablets|capsules|meds|medicine|medication)"
_SELF_HARM_PATTERNS = (
    # "I (just) want to die", "I wish I was dead"; not "I don't want to die".
    r"i\s+(?:just\s+|really\s+|only\s+|honestly\s+|sometimes\s+|still\s+)?(?:want|wanna|wish)\s+"
    r"(?:to\s+)?(?:die|be\s+dead)\b",
    r"wish\s+i\s+(?:was|were)\s+dead\b",
    r"(?:he|she|they)\s+(?:\w+\s+){0,3}?(?:wants?|wanted)\s+to\s+die\b"
    r"(?!\s+(?:with|in\s+peace|peacefully|at\s+home))",
    r"(?:don'?t|do\s+not)\s+want\s+to\s+(?:be\s+alive|be\s+here\s+any\s*more"
    r"|live\b(?!\s+(?:with|like|in|on|without|through|to|past)))",
    r"(?:want|wanna|plan|planning|tempted|thinking\s+of|thinking\s+about)\s+(?:to\s+)?"
    r"(?:overdose|overdosing|od)\b",
    r"(?:want|wanted|urges?|going|thinking\s+of|thinking\s+about|thoughts\s+of|keep|kept|started"
    r"|been|stop|stopped)\s+(?:to\s+)?(?:hurt|hurting|harm|harming|cut|cutting)\s+"
    r"(?:myself|himself|herself|themselves)\b",
    # Asking for a lethal amount ("how much gravol to kill you") is a warning sign.
    r"how\s+(?:much|many)\b[^.?!]{0,40}?\b(?:to|it\s+takes?\s+to)\s+(?:kill\s+(?:you|me|myself"
    r"|a\s+person|someone|somebody)|die|overdose|od)\b",
)
_EMERGENCY_PATTERNS = (
    # Someone took an overdose ("I took 30 of my sleeping pills", "she swallowed a whole
    # bottle", "my friend overdosed"), cannot breathe, or collapsed.
    _SUBJECT
    + r"(?:(?:'ve|\s+have|\s+has)?\s+(?:just\s+|accidentally\s+|may\s+have\s+|might\s+have\s+)?"
    r"(?:took|swallowed|ate|taken)\s+(?:(?:\d{2,}|twenty|thirty|forty|fifty|dozens|a\s+handful"
    r"|a\s+bunch|too\s+many|all)\s+(?:of\s+)?(?:[\w'-]+\s+){0,3}?" + _PILLS + r"\b"
    r"|(?:a|the)\s+(?:whole\s+|full\s+|entire\s+)?bottle\b)"
    r"|\s+(?:just\s+|may\s+have\s+|might\s+have\s+)?(?:overdosed|od'?d)\b"
    r"|\s+(?:suddenly\s+)?(?:can'?t|cannot|can\s+not|couldn'?t)\s+breathe\b"
    r"(?!\s+(?:through|out|well|properly|at\s+night|when|while|during|in\b))"
    r"|\s+(?:just\s+)?collapsed\b)",
    # Chest pain, a heart attack or a stroke, happening now.
    r"(?:i'?m|i\s+am|he'?s|she'?s|he\s+is|she\s+is|they'?re|they\s+are|(?:my|our)\s+[\w-]+"
    r"(?:\s+is|'s))\s+(?:\w+\s+)?having\s+(?:(?:\w+\s+){0,2}?chest\s+(?:pain|pains|pressure"
    r"|tightness)|(?:a\s+)?heart\s+attack|(?:a\s+)?stroke)\b",
    r"chest\s+(?:pain|pains|pressure|tightness|hurts?)\b[^.?!]{0,40}?\b(?:right\s+now"
    r"|radiat\w*|spread\w*|down\s+my\s+arm|to\s+my\s+jaw|sweating|can'?t\s+breathe)",
    # Stroke signs: a face that droops, slurred speech, sudden loss of speech or movement.
    r"(?:my|his|her|their|our)(?:\s+[\w-]+'s)?\s+face\s+(?:is\s+|suddenly\s+|started\s+"
    r"|keeps\s+|looks\s+|seems\s+)?(?:drooping|droopy|droops|lopsided)\b",
    r"one\s+side\s+of\s+(?:my|his|her|their)\s+(?:face|mouth)\s+(?:is\s+)?(?:drooping|droops"
    r"|numb|fell|dropped)\b",
    r"(?:speech\s+is\s+(?:suddenly\s+)?slurred|slurring\s+(?:his|her|my|their)\s+(?:words"
    r"|speech)|suddenly\s+(?:can'?t|cannot|can\s+not)\s+(?:speak|talk|lift|raise|move))\b",
    r"(?:not|isn'?t|stopped|has\s+stopped)\s+breathing\b(?!\s+(?:well|properly|through))",
    r"(?:lips|face|skin)\s+(?:is|are)\s+(?:turning\s+)?(?:blue|grey|gray)\b",
)
NEGATION = (
    r"\b(?:not|never|don'?t|do\s+not|didn'?t|did\s+not|doesn'?t|does\s+not|won'?t|wouldn'?t"
    r"|no\s+longer)\b"
)
# A negation counts only in the same clause, a few characters before.
CLAUSE = r"[,;:]|\bbut\b|\band\b"
NEGATION_WINDOW = 25
SENTENCE = r"[.!?\n]+"

SELF_HARM_RULES = Rules(
    kind=CrisisKind.SELF_HARM,
    phrases=CRISIS_PHRASES,
    patterns=_SELF_HARM_PATTERNS,
    topics=r"(?:suicid\w*|self[- ]?harm\w*)",
    informational=(
        r"(?:cause[sd]?|causing|side[- ]?effects?|risks?|linked|associated|warnings?|black[- ]box"
        r"|legal|rates?|statistics|prevention|assisted|committed\s+suicide|died\s+by\s+suicide"
        r"|death\s+by\s+suicide|lost\s+(?:\w+\s+){0,2}to\s+suicide"
        r"|(?:can|could|does|do|will|would)\s+(?:\w+\s+){1,3}?(?:make|lead|give))\b"
    ),
)
MEDICAL_EMERGENCY_RULES = Rules(
    kind=CrisisKind.MEDICAL_EMERGENCY,
    phrases=EMERGENCY_PHRASES,
    patterns=_EMERGENCY_PATTERNS,
    topics=(
        r"(?:chest\s+(?:pain|pains|pressure|tightness)|chest\s+hurts|heart\s+attack|stroke"
        r"|overdos\w*|can'?t\s+breathe|cannot\s+breathe)\b"
    ),
    informational=(
        r"(?:what\s+(?:happens|would\s+happen|will\s+happen|to\s+do|causes|should\s+(?:you"
        r"|someone|one|a\s+person)\s+do)|signs?\s+of|symptoms?\s+of|side[- ]?effects?|maximum"
        r"|max|recommended|usual|normal\s+dose|risks?\s+of|how\s+(?:do|can)\s+(?:you|i)\s+(?:know"
        r"|tell|prevent|avoid)|if\s+(?:you|someone|a\s+person))\b"
    ),
    acute=(
        r"(?:right\s+now|now|tonight|this\s+(?:morning|afternoon|evening)|suddenly|all\s+of\s+a"
        r"\s+sudden|(?:i'?m|i\s+am|is|are)\s+having|(?:an?|few|couple\s+of|[0-9]+)\s+(?:minutes?"
        r"|mins?|hours?)\s+ago|minutes\s+ago|hours\s+ago)\b"
    ),
    past=(
        r"(?:(?:a|an|few|several|many|two|three|four|five|ten|[0-9]+)\s+(?:years?|months?|weeks?"
        r"|days?)\s+ago|last\s+(?:year|month|week)|in\s+(?:19|20)[0-9][0-9]|years\s+back"
        r"|used\s+to|when\s+(?:i|he|she)\s+was)\b"
    ),
)

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
EMERGENCY_RESOURCES = (
    {
        "name": "Emergency",
        "detail": "Call your local emergency number now (911 in the US, 112 in the EU, 999 in "
        "the UK)",
        "url": "",
    },
    {
        "name": "US: Poison Help",
        "detail": "Too much of a medicine, and the person is awake and breathing: call "
        "1-800-222-1222",
        "url": "",
    },
    {
        "name": "Outside the US",
        "detail": "Emergency numbers by country",
        "url": "https://en.wikipedia.org/wiki/List_of_emergency_telephone_numbers",
    },
)
