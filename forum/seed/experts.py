"""The demo's verified experts, each verified for the health topics of their own field only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from forum import policies
from forum.articles.services import add_months
from forum.auth.services import find_user_by_name
from forum.extensions import db
from forum.models import ExpertProfile, ExpertStatus, HealthTopic, User, utcnow

if TYPE_CHECKING:
    from forum.seed import SeedReport

DEMO_REASON = "Demo expert account."


@dataclass(frozen=True)
class DemoExpert:
    credentials: str
    specialty: str
    topics: tuple[str, ...]


# An oncology nurse answers cancer questions only; the internist the internal-medicine topics.
# Nobody is verified for mental health or brain and nerves: those get reference answers only.
DEMO_EXPERTS = {
    "dr_rivera": DemoExpert(
        "MD",
        "Internal medicine",
        ("diabetes", "heart-health", "kidney-health", "digestive-health", "lung-health"),
    ),
    "nurse_okafor": DemoExpert("RN", "Oncology nursing", ("cancer",)),
}


def ensure_demo_experts(report: SeedReport) -> dict[str, User]:
    """Verify the demo experts for their own topics (and narrow an older all-topics profile)."""
    found: dict[str, User] = {}
    topics = {topic.slug: topic for topic in db.session.scalars(select(HealthTopic))}
    for name, spec in DEMO_EXPERTS.items():
        user = find_user_by_name(name)
        if user is None:
            continue
        scope = [topics[slug] for slug in spec.topics if slug in topics]
        profile = policies.expert_profile_of(user)
        if profile is None:
            now = utcnow()
            months = int(current_app.config["EXPERT_VERIFICATION_MONTHS"])
            profile = ExpertProfile(
                user_id=user.id,
                credentials=spec.credentials,
                specialty=spec.specialty,
                status=ExpertStatus.VERIFIED,
                decision_reason=DEMO_REASON,
                verified_at=now,
                decided_at=now,
                expires_at=add_months(now, months),
            )
            db.session.add(profile)
            report.add("expert profiles")
        elif profile.decision_reason != DEMO_REASON or (
            not profile.all_topics and {t.slug for t in profile.topics} == set(spec.topics)
        ):
            found[name] = user
            continue  # verified by hand, or already scoped
        profile.all_topics = False
        profile.topics = scope
        db.session.commit()
        policies.forget_expert_profiles()
        found[name] = user
    return found


def expert_for_topic(experts: dict[str, User], topic_slug: str) -> User | None:
    """The demo expert verified for a topic, if any."""
    for name, spec in DEMO_EXPERTS.items():
        if topic_slug in spec.topics and name in experts:
            return experts[name]
    return None
