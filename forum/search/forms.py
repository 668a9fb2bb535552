"""The search page's parameters, read leniently: odd input is ignored with a note, never a 500."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from forum.search.backend import SORTS
from forum.search.query import MAX_LENGTH

MAX_PAGE = 50
MAX_SLUG = 60


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    community: str = ""
    topic: str = ""
    doc_type: str = ""
    answered: bool = False
    endorsed: bool = False
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    # Search the words as typed: no automatic correction of a misspelling.
    exact: bool = False
    notes: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(
            self.community
            or self.topic
            or self.doc_type
            or self.answered
            or self.endorsed
            or self.date_from
            or self.date_to
        )

    def url_args(self, **changes: object) -> dict[str, str]:
        """Query-string arguments for a link to this search (another page, a correction)."""
        params = replace(self, **changes)  # type: ignore[arg-type]
        args = {
            "q": params.q,
            "community": params.community,
            "topic": params.topic,
            "type": params.doc_type,
            "answered": "1" if params.answered else "",
            "endorsed": "1" if params.endorsed else "",
            "from": params.date_from.isoformat() if params.date_from else "",
            "to": params.date_to.isoformat() if params.date_to else "",
            "sort": params.sort if params.sort != "relevance" else "",
            "page": str(params.page) if params.page > 1 else "",
            "exact": "1" if params.exact else "",
        }
        return {key: value for key, value in args.items() if value}


def read_params(args: Mapping[str, str], doc_types: Mapping[str, str]) -> SearchParams:
    """Read the query string; anything odd is dropped and explained in `notes`."""
    notes: list[str] = []
    date_from = _date(args.get("from", ""), "from", notes)
    date_to = _date(args.get("to", ""), "to", notes)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    doc_type = args.get("type", "")
    if doc_type and doc_type not in doc_types:
        notes.append("That content type does not exist; showing all types.")
        doc_type = ""
    sort = args.get("sort", "") or "relevance"
    if sort not in SORTS:
        sort = "relevance"
    return SearchParams(
        q=args.get("q", "")[: MAX_LENGTH * 4],
        community=args.get("community", "")[:MAX_SLUG],
        topic=args.get("topic", "")[:MAX_SLUG],
        doc_type=doc_type,
        answered=args.get("answered", "") in ("1", "on", "true", "yes"),
        endorsed=args.get("endorsed", "") in ("1", "on", "true", "yes"),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_page(args.get("page", "1")),
        exact=args.get("exact", "") in ("1", "on", "true", "yes"),
        notes=tuple(notes),
    )


def _date(raw: str, name: str, notes: list[str]) -> date | None:
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw[:10])
    except ValueError:
        notes.append(f"The “{name}” date was not understood: use a date like 2024-05-31.")
        return None
    if not 1900 <= value.year <= 2200:
        notes.append(f"The “{name}” date is out of range and was ignored.")
        return None
    return value


def _page(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        return 1
    return max(1, min(int(raw), MAX_PAGE))
