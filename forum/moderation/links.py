"""Links out of moderators' messages: a warning is e-mailed from the forum's own address."""

from __future__ import annotations

import re

# What a mail client would make clickable: schemes, www., e-mail addresses and bare domains.
# Linear enough for its input (a reason of at most a few hundred characters).
LINK = re.compile(
    r"\b(?:(?:https?|ftps?|mailto|tel|sms|javascript|data|file|intent)\s*:\S*"
    r"|www\.\S*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b(?:/\S*)?)",
    re.IGNORECASE,
)
LINK_REMOVED = "[link removed]"


def without_links(text: str) -> str:
    """The text with web addresses, e-mail addresses and link schemes replaced, so a message
    sent from the forum's address can point nowhere but the forum."""
    return LINK.sub(LINK_REMOVED, text)
