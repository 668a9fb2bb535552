"""Drug safety notices: editors publish them; members with a concerned drug are told."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import insert, select

from forum import audit, policies
from forum.drugs.linking import drug_term_finder
from forum.errors import InvalidAction
from forum.extensions import db
from forum.models import (
    CabinetEntry,
    CabinetProfile,
    Drug,
    DrugIngredient,
    NoticeDelivery,
    SafetyNotice,
    User,
    safety_notice_drug,
    utcnow,
)
from forum.notifications import events
from forum.text import render_markdown

log = logging.getLogger(__name__)

TITLE_MIN, TITLE_MAX = 5, 150
BODY_MAX = 10_000
DRUGS_MAX = 20
# A medicine added to a cabinet also brings the notices of this past period about it.
PAST_NOTICE_DAYS = 365


def _concerned(drug_ids: set[int]) -> set[int]:
    """The drugs and the combination products that contain them."""
    if not drug_ids:
        return set()
    combos = db.session.scalars(
        select(DrugIngredient.drug_id).where(DrugIngredient.ingredient_id.in_(drug_ids))
    )
    return drug_ids | set(combos)


def _members_taking(drug_ids: set[int]) -> set[int]:
    owners = db.session.scalars(
        select(CabinetProfile.owner_id)
        .join(CabinetEntry, CabinetEntry.profile_id == CabinetProfile.id)
        .where(CabinetEntry.drug_id.in_(_concerned(drug_ids)))
        .distinct()
    )
    return set(owners)


def _check_url(url: str) -> str:
    url = url.strip()
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise InvalidAction("Give a web address starting with https://.", field="source_url")
    return url


def publish_safety_notice(
    editor: User, title: str, body: str, drugs: Sequence[Drug], source_url: str = ""
) -> SafetyNotice:
    """Publish a notice and deliver it to every member with a concerned drug in a cabinet."""
    policies.require(policies.can_publish_safety_notice(editor))
    title = " ".join(title.split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidAction(f"Write a title of {TITLE_MIN} to {TITLE_MAX} characters.", "title")
    body = body.replace("\x00", "").strip()
    if not body or len(body) > BODY_MAX:
        raise InvalidAction(f"Write the notice (up to {BODY_MAX:,} characters).", field="body")
    unique = list({drug.id: drug for drug in drugs}.values())
    if not 1 <= len(unique) <= DRUGS_MAX:
        raise InvalidAction(f"Name 1 to {DRUGS_MAX} drugs the notice concerns.", field="drugs")
    notice = SafetyNotice(
        author_id=editor.id,
        title=title,
        body_source=body,
        body_html=render_markdown(body, link_terms=drug_term_finder()),
        source_url=_check_url(source_url),
        drugs=unique,
    )
    db.session.add(notice)
    db.session.flush()
    members = sorted(_members_taking({drug.id for drug in unique}))
    if members:
        db.session.execute(
            insert(NoticeDelivery), [{"notice_id": notice.id, "user_id": m} for m in members]
        )
    audit.record(editor, "safety_notice.publish", "safety_notice", notice.id)
    events.safety_notice_published(notice)
    db.session.commit()
    log.info("safety notice %s published to %d members", notice.id, len(members))
    return notice


def deliver_past_notices(user: User, drug: Drug) -> None:
    """Recent notices about a drug just added to a cabinet (the caller commits)."""
    ingredients = set(
        db.session.scalars(
            select(DrugIngredient.ingredient_id).where(DrugIngredient.drug_id == drug.id)
        )
    )
    since = utcnow() - timedelta(days=PAST_NOTICE_DAYS)
    delivered = select(NoticeDelivery.notice_id).where(NoticeDelivery.user_id == user.id)
    notice_ids = db.session.scalars(
        select(safety_notice_drug.c.notice_id)
        .join(SafetyNotice, SafetyNotice.id == safety_notice_drug.c.notice_id)
        .where(
            safety_notice_drug.c.drug_id.in_({drug.id} | ingredients),
            SafetyNotice.published_at >= since,
            safety_notice_drug.c.notice_id.not_in(delivered),
        )
        .distinct()
    )
    for notice_id in notice_ids:
        db.session.add(NoticeDelivery(notice_id=notice_id, user_id=user.id))
