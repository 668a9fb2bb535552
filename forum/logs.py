"""Keep secrets out of the access logs: password-reset tokens never reach a log line."""

from __future__ import annotations

import logging
import re

# Loggers that write one line per request with its path: the development server and gunicorn.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
# A reset link's token is the path segment after /password-reset/ (the form's own page,
# /password-reset/new, carries none), plus anything that follows it up to the next space.
RESET_TOKEN = re.compile(r"(/password-reset/)(?!new(?:[\s\"?#]|$))[^\s\"]+")
SCRUBBED = r"\1[token]"


def scrub(text: str) -> str:
    """The text with every password-reset token replaced by a placeholder."""
    return RESET_TOKEN.sub(SCRUBBED, text)


class ScrubResetTokens(logging.Filter):
    """Rewrite an access-log record so the reset token it holds is never written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/password-reset/" in message:
            record.msg = scrub(message)
            record.args = ()
        return True


def install_filters() -> None:
    """Add the scrubbing filter to the access loggers, once per process."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubResetTokens) for f in logger.filters):
            logger.addFilter(ScrubResetTokens())
