"""My Medicine: private medicine lists for the member and family profiles.

Everything here is the owner's alone: every function checks ownership (404 for anyone
else, moderators and admins included), and nothing logs a drug, a label or a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from forum import policies
from forum.errors import InvalidAction, NotFound
from forum.extensions import db
from forum.models import (
    CabinetEntry,
    CabinetProfile,
    CabinetSettings,
    Drug,
    NoticeDelivery,
    PillProduct,
    User,
    Viewer,
    utcnow,
)
from forum.notices.services import deliver_past_notices
from forum.pills import queries as pill_queries

LABEL_MAX = 40
PROFILES_MAX = 20
ENTRIES_MAX = 100
DOSE_MAX = SCHEDULE_MAX = 120
NOTES_MAX = 2000
BIRTH_YEAR_MIN = 1900


@dataclass(frozen=True)
class EntryFields:
    dose: str = ""
    schedule: str = ""
    start_date: date | None = None
    notes: str = ""
    # The owner opts in per medicine to being told of safety notices that name it.
    safety_alerts: bool = True


def _require_owner(user: Viewer, profile: CabinetProfile) -> None:
    policies.require(policies.can_view_cabinet_profile(user, profile), hide=True)


def _require_consent(user: Viewer) -> None:
    policies.require(
        policies.can_add_to_cabinet(user),
        message="Agree to the processing of your health information (in your privacy "
        "settings) to keep medicine lists.",
    )


def profile_by_id(user: Viewer, profile_id: int) -> CabinetProfile:
    """The user's own profile; anyone else's (or none) is "not found"."""
    profile = db.session.get(CabinetProfile, profile_id)
    if profile is None:
        raise NotFound()
    _require_owner(user, profile)
    return profile


def entry_by_id(user: Viewer, entry_id: int) -> CabinetEntry:
    entry = db.session.get(CabinetEntry, entry_id)
    if entry is None:
        raise NotFound()
    _require_owner(user, entry.profile)
    return entry


def profiles_of(user: User) -> list[CabinetProfile]:
    """The member's profiles with their medicines (two queries)."""
    policies.require(policies.can_use_cabinet(user), hide=True)
    query = (
        select(CabinetProfile)
        .where(CabinetProfile.owner_id == user.id)
        .options(selectinload(CabinetProfile.entries))
        .order_by(CabinetProfile.id)
    )
    return list(db.session.scalars(query))


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not 1 <= len(label) <= LABEL_MAX:
        raise InvalidAction(f"Give the profile a name of up to {LABEL_MAX} characters.", "label")
    return label


def _birth_year(year: int | None) -> int | None:
    if year is not None and not BIRTH_YEAR_MIN <= year <= date.today().year:
        raise InvalidAction(
            f"Give a year between {BIRTH_YEAR_MIN} and {date.today().year}, or leave it empty.",
            field="birth_year",
        )
    return year


def _label_taken(user: User, label: str, other_than: int | None = None) -> bool:
    found = db.session.scalar(
        select(CabinetProfile.id).where(
            CabinetProfile.owner_id == user.id, CabinetProfile.label == label
        )
    )
    return found is not None and found != other_than


def create_profile(user: User, label: str, birth_year: int | None = None) -> CabinetProfile:
    """A new medicine list: "Me", or a family member such as "Mom"."""
    policies.require(policies.can_use_cabinet(user), hide=True)
    _require_consent(user)
    label, birth_year = _label(label), _birth_year(birth_year)
    if len(profiles_of(user)) >= PROFILES_MAX:
        raise InvalidAction(f"You can keep up to {PROFILES_MAX} profiles.", field="label")
    if _label_taken(user, label):
        raise InvalidAction("You already have a profile with that name.", field="label")
    profile = CabinetProfile(owner_id=user.id, label=label, birth_year=birth_year)
    db.session.add(profile)
    db.session.commit()
    return profile


def update_profile(user: User, profile: CabinetProfile, label: str, birth_year: int | None) -> None:
    _require_owner(user, profile)
    label, birth_year = _label(label), _birth_year(birth_year)
    if _label_taken(user, label, profile.id):
        raise InvalidAction("You already have a profile with that name.", field="label")
    profile.label, profile.birth_year = label, birth_year
    db.session.commit()


def delete_profile(user: User, profile: CabinetProfile) -> None:
    """Delete a profile and every medicine in it."""
    _require_owner(user, profile)
    db.session.delete(profile)
    db.session.commit()


def _entry_fields(fields: EntryFields) -> EntryFields:
    dose = " ".join(fields.dose.split())
    schedule = " ".join(fields.schedule.split())
    notes = fields.notes.replace("\x00", "").strip()
    for value, limit, name in ((dose, DOSE_MAX, "dose"), (schedule, SCHEDULE_MAX, "schedule")):
        if len(value) > limit:
            raise InvalidAction(f"Keep it under {limit} characters.", field=name)
    if len(notes) > NOTES_MAX:
        raise InvalidAction(f"Keep the notes under {NOTES_MAX:,} characters.", field="notes")
    start = fields.start_date
    if start is not None and not date(BIRTH_YEAR_MIN, 1, 1) <= start <= date.today():
        raise InvalidAction("Give a start date that is not in the future.", field="start_date")
    return EntryFields(dose, schedule, start, notes, fields.safety_alerts)


def add_entry(user: User, profile: CabinetProfile, drug: Drug, fields: EntryFields) -> CabinetEntry:
    """Add a medicine to a profile; recent safety notices about it are delivered."""
    _require_owner(user, profile)
    _require_consent(user)
    checked = _entry_fields(fields)
    if len(profile.entries) >= ENTRIES_MAX:
        raise InvalidAction(f"A profile holds up to {ENTRIES_MAX} medicines.", field="drug")
    entry = CabinetEntry(
        profile=profile,
        drug_id=drug.id,
        dose=checked.dose,
        schedule=checked.schedule,
        start_date=checked.start_date,
        notes=checked.notes,
        safety_alerts=checked.safety_alerts,
    )
    db.session.add(entry)
    deliver_past_notices(user, drug)
    db.session.commit()
    return entry


def add_product(
    user: User,
    profile: CabinetProfile,
    drug: Drug,
    product_id: int,
    strength: str,
    safety_alerts: bool = True,
) -> CabinetEntry:
    """Add a product found in the pill identifier: the entry records it, its strength as dose."""
    _require_owner(user, profile)
    _require_consent(user)
    if any(entry.product_id == product_id for entry in profile.entries):
        raise InvalidAction(f"This medicine is already in the list {profile.label}.", "profile")
    if len(profile.entries) >= ENTRIES_MAX:
        raise InvalidAction(f"A profile holds up to {ENTRIES_MAX} medicines.", field="profile")
    dose = _entry_fields(EntryFields(dose=strength[:DOSE_MAX])).dose
    entry = CabinetEntry(
        profile=profile,
        drug_id=drug.id,
        product_id=product_id,
        dose=dose,
        safety_alerts=safety_alerts,
    )
    db.session.add(entry)
    deliver_past_notices(user, drug)
    db.session.commit()
    return entry


def update_entry(user: User, entry: CabinetEntry, fields: EntryFields) -> None:
    _require_owner(user, entry.profile)
    checked = _entry_fields(fields)
    entry.dose, entry.schedule = checked.dose, checked.schedule
    entry.start_date, entry.notes = checked.start_date, checked.notes
    entry.safety_alerts = checked.safety_alerts
    entry.updated_at = utcnow()
    db.session.commit()


def set_safety_alerts(user: User, entry: CabinetEntry, on: bool) -> None:
    """Turn one medicine's safety alerts on or off (the list's one-click switch)."""
    _require_owner(user, entry.profile)
    entry.safety_alerts = on
    db.session.commit()


def remove_entry(user: User, entry: CabinetEntry) -> None:
    _require_owner(user, entry.profile)
    db.session.delete(entry)
    db.session.commit()


def settings_of(user: User) -> CabinetSettings:
    """The member's alert choices (defaults until they choose)."""
    found = db.session.get(CabinetSettings, user.id)
    return found if found is not None else CabinetSettings(user_id=user.id, wants_news=False)


def set_news_alerts(user: User, wants_news: bool) -> None:
    """Opt in (or out) of news about the member's medicines: endorsed answers, articles."""
    policies.require(policies.can_use_cabinet(user), hide=True)
    settings = db.session.get(CabinetSettings, user.id)
    if settings is None:
        settings = CabinetSettings(user_id=user.id)
        db.session.add(settings)
    if wants_news and not settings.wants_news:
        settings.news_since = utcnow()
    settings.wants_news = wants_news
    db.session.commit()


def mark_alerts_read(user: User) -> None:
    db.session.execute(
        update(NoticeDelivery)
        .where(NoticeDelivery.user_id == user.id, NoticeDelivery.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_cabinet(user: User) -> dict[str, Any]:
    """The member's cabinet for their data export: profiles, medicines, alerts, settings."""
    settings = db.session.get(CabinetSettings, user.id)
    deliveries = db.session.scalars(
        select(NoticeDelivery).where(NoticeDelivery.user_id == user.id).order_by(NoticeDelivery.id)
    )
    return {
        "profiles": [
            {
                "label": profile.label,
                "birth_year": profile.birth_year,
                "created_at": _day(profile.created_at),
                "medicines": [
                    {
                        "drug": entry.drug.name,
                        "drug_page": f"/drugs/{entry.drug.slug}",
                        "dose": entry.dose,
                        "schedule": entry.schedule,
                        "start_date": _day(entry.start_date),
                        "notes": entry.notes,
                        "safety_alerts": entry.safety_alerts,
                        "added_at": _day(entry.created_at),
                    }
                    for entry in profile.entries
                ],
            }
            for profile in profiles_of(user)
        ],
        "news_alerts": bool(settings and settings.wants_news),
        "safety_notices": [
            {
                "title": delivery.notice.title,
                "delivered_at": _day(delivery.created_at),
                "read_at": _day(delivery.read_at),
            }
            for delivery in deliveries
        ],
    }


def erase_cabinet(user: User) -> None:
    """Delete every profile, medicine, alert and setting of the member (the caller commits:
    account deletion runs it inside its own transaction)."""
    profile_ids = select(CabinetProfile.id).where(CabinetProfile.owner_id == user.id)
    db.session.execute(delete(CabinetEntry).where(CabinetEntry.profile_id.in_(profile_ids)))
    db.session.execute(delete(CabinetProfile).where(CabinetProfile.owner_id == user.id))
    db.session.execute(delete(NoticeDelivery).where(NoticeDelivery.user_id == user.id))
    db.session.execute(delete(CabinetSettings).where(CabinetSettings.user_id == user.id))


def add_pill(
    user: User, product: PillProduct, profile_id: int, safety_alerts: bool = True
) -> CabinetEntry:
    """Add a pill's product from the identifier to one of the member's lists."""
    drug = pill_queries.drug_for_product(product)
    if drug is None:
        raise InvalidAction(
            "This medicine is not in our drug directory yet, so it cannot be added to a list.",
            field="profile",
        )
    profile = profile_by_id(user, profile_id)
    return add_product(user, profile, drug, product.id, product.strength, safety_alerts)
