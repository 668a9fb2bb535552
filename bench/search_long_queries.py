"""Long consumer messages for the benchmark's search query mix (issue 21).

People paste whole messages into the search box. The benchmark's 200 queries (bench/queries.py)
are keywords and short questions; these 50 are MeQSum consumer messages (subject and message
as sent, cut at the search form's 1,024 characters), chosen evenly over the file among those
of more than 20 words, from the copy bench/data ships (vocabulary.json.gz).
"""

from __future__ import annotations

from bench.vocabulary import shipped_sources
from forum.search.query import MAX_LENGTH, words_of

COUNT = 50
MIN_WORDS = 20


def long_messages(count: int = COUNT) -> list[str]:
    messages = [
        " ".join(message.split())[: MAX_LENGTH * 4]
        for _summary, message in shipped_sources().consumer_questions
    ]
    long = [message for message in messages if len(words_of(message)) > MIN_WORDS]
    if len(long) <= count:
        return long
    return [long[index * len(long) // count] for index in range(count)]


def search_args(count: int = COUNT) -> list[dict[str, str]]:
    """The messages as search-page arguments (no filters: a visitor pasting a question)."""
    return [{"q": message} for message in long_messages(count)]
