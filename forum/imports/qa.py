"""Question/answer pairs imported as answered threads, answered by a verified organization.

Each row of a JSON Lines file (`id`, `question`, `answer`, optional `url`, `focus` and
`source`, the agency that wrote the answer) becomes a question thread, asked in the row's
own words, whose answer the organization posts as a reference entry: the flattened source
text gets its lists, headings and paragraphs back as Markdown (forum/imports/qa_text.py).
The row's id is kept as the thread's source (`qa:<id>`), so a second run finds the thread
again and edits what changed through the thread services (the old text stays in the posts'
revisions).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from forum import policies
from forum.auth.services import find_user_by_name
from forum.errors import DomainError, InvalidAction, NotFound
from forum.extensions import db
from forum.imports.qa_text import agency_name, answer_markdown, retired_note
from forum.models import Community, Post, Thread, User
from forum.threads import content
from forum.threads import services as threads

log = logging.getLogger(__name__)

SOURCE_PREFIX = "qa:"
SOURCE_ID_MAX = 120
SOURCE_URL_MAX = 500
CUT = " \u2026 (continued at the source)"


@dataclass(frozen=True)
class QaRow:
    line: int
    id: str
    question: str
    answer: str
    url: str | None = None
    focus: str | None = None
    source: str | None = None

    @property
    def source_id(self) -> str:
        return SOURCE_PREFIX + self.id


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    bad: list[BadLine] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped (deleted on the forum), {len(self.bad)} bad"
        )


def parse_line(number: int, text: str) -> QaRow | BadLine:
    """One line of the file as a row, or why it cannot be one."""
    try:
        value: Any = json.loads(text)
    except ValueError as error:
        return BadLine(number, f"not valid JSON ({error})")
    return parse_row(number, value)


def parse_row(number: int, value: Any) -> QaRow | BadLine:
    """A decoded JSON value as a row, or why it cannot be one."""
    if not isinstance(value, dict):
        return BadLine(number, "not a JSON object")
    raw_id = value.get("id")
    is_id = isinstance(raw_id, str | int) and not isinstance(raw_id, bool)
    row_id = str(raw_id).strip() if is_id else ""
    if not row_id or len(SOURCE_PREFIX + row_id) > SOURCE_ID_MAX:
        return BadLine(number, f"`id` must be a string or number of 1-{SOURCE_ID_MAX - 3} chars")
    question, answer = value.get("question"), value.get("answer")
    for name, text_value in (("question", question), ("answer", answer)):
        if not isinstance(text_value, str) or not text_value.strip():
            return BadLine(number, f"`{name}` must be a non-empty string")
    url, focus = value.get("url") or None, value.get("focus") or None
    if url is not None and not _is_web_address(url):
        return BadLine(number, f"`url` must be an http(s) address of at most {SOURCE_URL_MAX}")
    source = value.get("source") or None
    for name, optional in (("focus", focus), ("source", source)):
        if optional is not None and not isinstance(optional, str):
            return BadLine(number, f"`{name}` must be a string")
    return QaRow(number, row_id, str(question), str(answer), url, focus, source)


def _is_web_address(url: Any) -> bool:
    if not isinstance(url, str) or len(url) > SOURCE_URL_MAX:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def read_rows(path: Path) -> Iterator[QaRow | BadLine]:
    """The rows of a JSON Lines file (blank lines are skipped), numbered from 1."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if text.strip():
                yield parse_line(number, text)


def count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def import_target(community_slug: str, org_name: str) -> tuple[Community, User]:
    """The community to import into and the verified organization that answers."""
    community = db.session.scalar(select(Community).where(Community.slug == community_slug))
    if community is None:
        raise NotFound(f"no community {community_slug!r}")
    org = find_user_by_name(org_name)
    if org is None:
        raise NotFound(f"no account {org_name!r}")
    profile = policies.expert_profile_of(org)
    if profile is None or not profile.is_organization:
        raise InvalidAction(f"{org.name} is not an organization account (see `flask orgs`)")
    if not policies.is_verified_expert(org):
        raise InvalidAction(f"{org.name} is not a verified organization (expired or revoked)")
    if not policies.can_post_in_community(org, community):
        raise InvalidAction(f"{org.name} cannot post in {community.slug}: add it as a member")
    return community, org


def import_qa_file(
    path: Path,
    community: Community,
    org: User,
    on_line: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import every row of a file; bad or refused rows are counted with their line."""
    return import_qa_rows(read_rows(path), community, org, on_line)


def import_qa_rows(
    rows: Iterable[QaRow | BadLine],
    community: Community,
    org: User,
    on_line: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import parsed rows (on_line gets how many lines each row moved on, for progress)."""
    result = ImportResult()
    done = 0
    for row in rows:
        if isinstance(row, BadLine):
            result.bad.append(row)
        else:
            try:
                result.count(import_qa_row(org, community, row))
            except DomainError as error:
                db.session.rollback()
                result.bad.append(BadLine(row.line, f"refused: {error.message}"))
        if on_line is not None:
            on_line(max(row.line - done, 0))
            done = row.line
    log.info("qa import into community %s: %s", community.id, result.summary())
    return result


def import_qa_row(org: User, community: Community, row: QaRow) -> str:
    """Create or update the row's thread; returns created, updated, unchanged or skipped."""
    title, question, answer = _texts(org, row)
    thread = db.session.scalar(select(Thread).where(Thread.source_id == row.source_id))
    if thread is None:
        thread = _orphan(org, community, title)
    if thread is None:
        # Answered in the same run: no expert is told about a "new question".
        thread = threads.create_thread(
            org, community, title, question, confirm_personal_info=True, announce=False
        )
        # Saved with the answer; if that fails, the next run adopts the thread (_orphan).
        thread.source_id, thread.source_url = row.source_id, row.url
        reply = threads.post_reply(org, thread, answer, confirm_personal_info=True)
        threads.accept_answer(org, thread, reply)
        return "created"
    if thread.is_deleted:
        return "skipped"
    return "updated" if _update(org, thread, row, (title, question, answer)) else "unchanged"


def _update(org: User, thread: Thread, row: QaRow, texts: tuple[str, str, str]) -> bool:
    """Bring an imported thread in line with its row; True if anything changed."""
    title, question, answer = texts
    changed = thread.source_id != row.source_id or thread.source_url != row.url
    if changed:
        _set_source(thread, row)
    opening = thread.opening_post
    if opening is not None and (opening.body_source != question or thread.title != title):
        threads.edit_post(org, opening, question, title=title, confirm_personal_info=True)
        changed = True
    reply = _answer_of(org, thread)
    if reply is None:
        reply = threads.post_reply(org, thread, answer, confirm_personal_info=True)
        changed = True
    elif reply.body_source != answer:
        # Agency texts carry help-line numbers: the source, not a member's personal details.
        threads.edit_post(org, reply, answer, confirm_personal_info=True)
        changed = True
    if thread.accepted_post_id != reply.id:
        threads.accept_answer(org, thread, reply)
        changed = True
    return changed


def _set_source(thread: Thread, row: QaRow) -> None:
    thread.source_id = row.source_id
    thread.source_url = row.url
    db.session.commit()


def _orphan(org: User, community: Community, title: str) -> Thread | None:
    """A thread of a run stopped between creating it and recording its source."""
    return db.session.scalar(
        select(Thread)
        .where(Thread.author_id == org.id, Thread.community_id == community.id)
        .where(Thread.source_id.is_(None), Thread.title == title)
        .limit(1)
    )


def _answer_of(org: User, thread: Thread) -> Post | None:
    """The organization's answer: the accepted reply if it wrote it, else its first reply."""
    return db.session.scalar(
        select(Post)
        .where(Post.thread_id == thread.id, Post.author_id == org.id)
        .where(Post.is_opening.is_(False), Post.is_deleted.is_(False))
        .order_by((Post.id == thread.accepted_post_id).desc(), Post.id)
        .limit(1)
    )


def _texts(org: User, row: QaRow) -> tuple[str, str, str]:
    """The title, question text and answer text of a row, as the thread services store them."""
    profile = policies.expert_profile_of(org)
    name = agency_name(row.source) or (profile.display_name if profile is not None else org.name)
    question = " ".join(row.question.split())
    title = question
    if len(title) > content.TITLE_MAX:
        title = title[: content.TITLE_MAX - 1].rsplit(" ", 1)[0] + "\u2026"
    footer = f"\n\n---\n*Source: {name}{_source_link(row.url)}. Shared for information: "
    footer += "it does not replace advice from your own doctor.*"
    answer = answer_markdown(row.answer)
    if len(answer) + len(footer) > content.BODY_MAX:
        answer = answer[: content.BODY_MAX - len(footer) - len(CUT)].rsplit(" ", 1)[0] + CUT
    return (
        content.check_title(title),
        content.check_body(question),
        content.check_body(answer + footer),
    )


def _source_link(url: str | None) -> str:
    """The source page as a link, marked when its site has since been retired."""
    if not url:
        return ""
    retired = retired_note(url)
    if retired:
        return f" (original page: <{url}>; {retired}, so the link may no longer work)"
    return f": [{url}]({url})"
