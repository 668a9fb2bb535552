"""Ids in URLs and forms: only numbers a database column can hold reach a query.

SQLite refuses integers beyond 64 bits with an OverflowError, and PostgreSQL's integer
columns anything beyond 32 bits (NumericValueOutOfRange): both were 500s. Every id column is
a 32-bit INTEGER on PostgreSQL, so no row has a larger id on either database. Such an id names
nothing, so it reaches the view as NO_ID, which no row has: the route answers exactly as for
any unknown id (a 404, or the login page first where one is needed). Failing the match
instead made werkzeug answer 405 where another method shares the path (PATCH and DELETE).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

# The largest id column value on PostgreSQL (INTEGER, signed 32 bits).
MAX_ID = 2**31 - 1
# Ids start at 1 on both databases.
NO_ID = 0


class IdConverter(IntegerConverter):
    """`<int:...>` where a number too large for the database becomes NO_ID."""

    def to_python(self, value: str) -> Any:
        if len(value) > len(str(MAX_ID)) and not self.fixed_digits:
            return NO_ID  # never int() a very long string: slow, then refused
        number = super().to_python(value)
        return NO_ID if isinstance(number, int) and number > MAX_ID else number


def parse_id(raw: str | None) -> int | None:
    """An id typed into a form or a query string ("12"), or None for anything else."""
    text = (raw or "").strip()
    # Longer than MAX_ID: too large (and int() of a very long string is slow, then refused).
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
