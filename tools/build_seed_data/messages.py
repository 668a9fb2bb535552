"""Privacy and suitability filters for MeQSum messages (deliberately over-cautious)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(
    r"\+\d|\(\d{3}\)|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\b\d{3}[-.]\d{4}\b|\b\d{7,}\b"
    r"|\b\d{5}(?:-\d{4})?\b"  # long digit runs and ZIP-like numbers too
)
URL_RE = re.compile(
    r"(?i:https?://|\bwww\.)|\b[a-z0-9-]+\.(?:com|org|net|gov|edu|info|biz)\b"
    r"|\b[\w-]+\.(?:co|uk|in|de|au|ca|us)/"
)
STREET_RE = re.compile(
    r"\b\d+\s+(?:[A-Za-z]+\s+){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|lane|ln"
    r"|court|ct|highway|hwy|parkway|pkwy)\b\.?|\bp\.?\s?o\.?\s+box\b|\bapt\.?\s*#?\d|\bsuite\s+\d",
    re.I,
)
# De-identification placeholders left in the source ([NAME], [LOCATION], [CONTACT], ...).
PLACEHOLDER_RE = re.compile(r"\[[A-Z_]+\]")
NAME_INTRO_RE = re.compile(
    r"\bmy name is\b|\bi am (?:dr|mr|mrs|ms)\b|\bthis is (?:dr|mr|mrs|ms)\b", re.I
)
HONORIFIC_NAME_RE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof|Doctor|Sr|Sra)\.?\s+[A-Z][a-z]+")
SIGNOFF_RE = re.compile(
    r"\b(?:thanks?|thank[\s-]*(?:you|u)|regards|sincerely|cheers|best|respectfully|blessings|yours"
    r"|truly|appreciated?|love)\b",
    re.I,
)
# Capitalised words that are no sign of a name when they follow a sign-off.
COMMON_WORDS = frozenset(
    {
        "a", "advance", "again", "all", "alot", "and", "any", "appreciate", "best", "bless",
        "dear", "doctor", "doctors", "for", "god", "good", "great", "help", "hope", "i", "in",
        "kind", "kindly", "lot", "many", "much", "my", "now", "of", "please", "regards",
        "sincerely", "sir", "so", "soon", "thank", "thanks", "the", "time", "to", "u", "very",
        "waiting", "you", "your", "yours",
    }
)  # fmt: skip
# Forwarded e-mails, web-form dumps and other non-messages.
METADATA_RE = re.compile(
    r"\b(?:sent|from|to|subject|date):\s|mozilla|web browser|nlm product|user ?name|session ?id"
    r"|part_boundary",
    re.I,
)
# Summaries that are about products, logistics or trivia rather than a person's health.
NOT_PERSONAL_RE = re.compile(
    r"\b(?:ingredients?|manufactur\w*|who makes|gluten|generic version|stored|storing|potency"
    r"|dispose|approved|inactive|half life|history|states allow|organizations?|purchase|buy"
    r"|cost|price|insurance|latitude|differences? between .* medications)\b",
    re.I,
)
NOT_PERSONAL_MESSAGE_RE = re.compile(
    r"\b(?:dear colleague|my (?:thesis|dissertation|research project|class)"
    r"|i am a (?:student|researcher)|we are a|our company|i want to purchase)\b",
    re.I,
)
# Leftover words that would be links in the forum's own markup ("@name", "#tag").
FORUM_MARKUP_RE = re.compile(r"@|(?<!\S)#[a-z]")

# Messages the automatic filters let through but which a manual read rejected.
MANUAL_SKIP: dict[str, str] = {
    "meqsum-0075": "a pharmacist asking about a patient, not a personal question",
    "meqsum-0175": "names a small town next to a relative's mental health",
    "meqsum-0778": "addressed to NIH staff (pick up leaflets), identifies the writer's employer",
    "meqsum-0889": "a school research assignment, not a personal question",
    "meqsum-0953": "a professional asking for practice guidelines, not a personal question",
    "meqsum-0234": "graphic account of child sexual abuse: not for demo content",
    "meqsum-0247": "sexually explicit details about a third person",
}


def privacy_problem(text: str, *, signature: bool = True) -> str | None:
    """Return why a message must not be shown, or None if nothing was found."""
    checks: Sequence[tuple[str, re.Pattern[str]]] = (
        ("e-mail", EMAIL_RE),
        ("phone", PHONE_RE),
        ("url", URL_RE),
        ("street address", STREET_RE),
        ("placeholder", PLACEHOLDER_RE),
        ("name", NAME_INTRO_RE),
        ("name", HONORIFIC_NAME_RE),
        ("metadata", METADATA_RE),
        ("markup", FORUM_MARKUP_RE),
    )
    for reason, pattern in checks:
        if pattern.search(text):
            return reason
    if signature and looks_signed(text):
        return "signature"
    return None


def _has_unusual_capital(words: Iterable[str]) -> bool:
    return any(w[:1].isupper() and w.lower() not in COMMON_WORDS for w in words)


def looks_signed(text: str) -> bool:
    """True if the message seems to end with a name: "Thanks, Jo", "Kind regards\\nJo Bloggs".

    Any capitalised word after the last sign-off word, or a short last line made of
    capitalised words, counts (common words such as "Thank You" excepted).
    """
    tail = text[-120:]
    signoffs = list(SIGNOFF_RE.finditer(tail))
    if signoffs:
        after = re.findall(r"[A-Za-z]+", tail[signoffs[-1].end() :])
        if len(after) <= 5 and _has_unusual_capital(after):
            return True
    last_line = text.strip().splitlines()[-1] if text.strip() else ""
    words = re.findall(r"[A-Za-z]+", last_line)
    if 0 < len(words) <= 3 and all(w[:1].isupper() for w in words):
        return _has_unusual_capital(words)
    # "... my problem. Mary Smith" on the same line: two capitalised words after a full stop.
    if not re.search(r"[.!?,]\s*[A-Z][a-z]+\s+[A-Z][a-z]+\W*$", text):
        return False
    last_clause = re.split(r"[.!?,]", text.strip())[-1]
    return _has_unusual_capital(re.findall(r"[A-Za-z]+", last_clause))


def clean_body(message: str) -> str:
    """Collapse whitespace runs inside lines and blank-line runs; keep the words as written."""
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in message.splitlines()]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
