"""Read helpers for My Medicine: interaction checks, alerts and news about the medicines."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, or_, select

from forum import policies
from forum.cabinet.services import profiles_of, settings_of
from forum.drugs.community import mention_query, reload_threads
from forum.drugs.interactions import InteractionReport, Medicine, check_interactions
from forum.drugs.queries import search_terms
from forum.extensions import db
from forum.models import (
    Article,
    ArticleStatus,
    CabinetProfile,
    Drug,
    NoticeDelivery,
    Thread,
    User,
    Viewer,
)
from forum.search import engine, outbox

NEWS_LIMIT = 10
NAMES_PER_DRUG = 4


def check_profile(profile: CabinetProfile) -> InteractionReport:
    """Every pair of medicines in one profile."""
    return check_interactions([Medicine(e.drug.name, e.drug) for e in profile.entries])


@dataclass
class ProfileCheck:
    profile: CabinetProfile
    report: InteractionReport
    already_listed: bool


def check_drug_against_cabinet(user: User, drug: Drug) -> list[ProfileCheck]:
    """A drug checked against each of the member's profiles, without saving anything."""
    checks = []
    for profile in profiles_of(user):
        candidate = Medicine(drug.name, drug)
        medicines = [Medicine(e.drug.name, e.drug) for e in profile.entries if e.drug_id != drug.id]
        report = check_interactions([*medicines, candidate], focus=candidate)
        listed = any(e.drug_id == drug.id for e in profile.entries)
        checks.append(ProfileCheck(profile, report, listed))
    return checks


def unread_alert_count(user: User) -> int:
    query = select(func.count(NoticeDelivery.id)).where(
        NoticeDelivery.user_id == user.id, NoticeDelivery.read_at.is_(None)
    )
    return db.session.scalar(query) or 0


def alerts(user: User, limit: int = 50) -> list[NoticeDelivery]:
    query = (
        select(NoticeDelivery)
        .where(NoticeDelivery.user_id == user.id)
        .order_by(NoticeDelivery.created_at.desc(), NoticeDelivery.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


@dataclass
class News:
    since: datetime
    threads: list[Thread]
    articles: list[Article]


def _cabinet_drugs(user: User) -> list[Drug]:
    found = {e.drug.id: e.drug for p in profiles_of(user) for e in p.entries}
    return sorted(found.values(), key=lambda drug: drug.name)


def news(user: User) -> News | None:
    """New expert-endorsed answers and reviewed articles about the member's medicines, since
    they opted in (None when they did not)."""
    settings = settings_of(user)
    if not settings.wants_news:
        return None
    names = [n for drug in _cabinet_drugs(user) for n in search_terms(drug, NAMES_PER_DRUG)]
    if not names:
        return News(settings.news_since, [], [])
    return News(
        settings.news_since,
        _endorsed_threads(user, names, settings.news_since),
        _reviewed_articles(user, names, settings.news_since),
    )


def _endorsed_threads(viewer: Viewer, names: list[str], since: datetime) -> list[Thread]:
    query = mention_query(viewer, names, NEWS_LIMIT)
    outbox.drain_before_search()
    hits = engine.backend().search(replace(query, endorsed_only=True, created_from=since))
    return reload_threads(viewer, [hit.key for hit in hits.hits])


def _reviewed_articles(viewer: Viewer, names: list[str], since: datetime) -> list[Article]:
    query = policies.visible_articles(
        viewer,
        select(Article).where(
            Article.status == ArticleStatus.PUBLISHED,
            Article.reviewed_at >= since,
            or_(*(Article.body_source.ilike(f"%{name}%") for name in names)),
        ),
    )
    return list(db.session.scalars(query.order_by(Article.reviewed_at.desc()).limit(NEWS_LIMIT)))
