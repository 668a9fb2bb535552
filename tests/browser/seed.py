"""The data the browser tests need, written through the forum's own services."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from forum import create_app
from forum.auth import services as accounts
from forum.communities import services as communities
from forum.experts import services as experts
from forum.extensions import db
from forum.models import Community, HealthTopic, User
from forum.pills.importer import import_samples
from forum.threads import services as threads

PASSWORD = "a calm walk by the river"
PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
TITLE_MAX = 150

MODERATOR = "mod_maria"
JOINER = "joiner_jo"
ASKER = "asker_ann"
REPLIER = "replier_ray"
RESETTER = "reset_rita"
NO_SCRIPT_READER = "nojs_nora"
READER = "reader_rob"
HOSTILE_AUTHOR = "xss_xena"
HOSTILE_REPLIER = "xss_yuri"
EXPERT = "dr_elena"
SEEKER = "seeker_sam"
WORRIED = "worried_wes"
REPORTER = "reporter_rae"
MISINFORMER = "quack_quinn"
USERS = (
    MODERATOR, JOINER, ASKER, REPLIER, RESETTER, NO_SCRIPT_READER, READER,
    HOSTILE_AUTHOR, HOSTILE_REPLIER, EXPERT, SEEKER, WORRIED, REPORTER, MISINFORMER,
)  # fmt: skip
EXPERT_CREDENTIALS = "MD"
EXPERT_SPECIALTY = "Cardiology"

TOPIC = "heart-health"
PUBLIC = "heart-talk"
PRIVATE = "heart-circle"
HOSTILE_TOPIC = "everyday-health"
HOSTILE_COMMUNITY = "open-corner"
HOSTILE_TAG = "hostile"

QUESTION_BODY = """\
Since the weather turned cold my readings are **higher** every morning, around 150/95.

What I have tried so far:

- a short walk after breakfast
- less salt in soups
- taking the tablets at the same time every day

> My GP said winter can raise blood pressure a little.

Did anything help you? See also the [heart association](https://www.heart.org/) page.
"""
REPLY_BODY = """\
Same here, @asker_ann. Keeping the bedroom warm and measuring *before* coffee made my \
numbers steadier. Bring a week of readings to your next appointment. #winter
"""
# Threads of their own for the expert, report and crisis flows, so that endorsing or
# hiding in one test never changes a page another test looks at.
TO_ENDORSE_TITLE = "Is a wrist cuff as accurate as an upper-arm cuff?"
TO_ENDORSE_REPLY = (
    "My nurse said an upper-arm cuff is more reliable; wrist cuffs read high if your wrist "
    "is not at heart level."
)
ENDORSED_TITLE = "How often should I measure my blood pressure at home?"
ENDORSED_REPLY = "Twice a day for a week before each appointment, at the same times of day."
TO_REPORT_TITLE = "Can I stop my blood pressure tablets in summer?"
TO_REPORT_REPLY = "Blood pressure cures itself in summer: garlic water works better than tablets."
CRISIS_TITLE = "Everything feels too much since the diagnosis"
CRISIS_BODY = "Some nights I feel like I want to end it all. I don't know who to talk to."


def read_payloads(path: Path = PAYLOAD_FILE) -> list[str]:
    """Payloads, one a line; '#' starts a comment line and a literal \\n is a line break."""
    payloads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            payloads.append(line.replace("\\n", "\n"))
    return payloads


def hostile_title(number: int, payload: str) -> str:
    """The payload in the title too, where it fits the title rules."""
    title = " ".join(f"Sample {number:02d}: {payload}".split())
    return title if len(title) <= TITLE_MAX else f"Sample {number:02d}: a long payload"


@dataclass
class SeedData:
    question_id: int = 0
    reply_id: int = 0
    hostile_thread_ids: list[int] = field(default_factory=list)
    to_endorse_thread_id: int = 0
    endorsed_thread_id: int = 0
    to_report_thread_id: int = 0
    crisis_thread_id: int = 0


def seed(database_url: str, search_dir: str, payloads: list[str]) -> SeedData:
    """Create the accounts, communities, a question with a reply, flow and hostile threads."""
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": database_url,
            "SEARCH_DIR": search_dir,
            "RATELIMIT_ENABLED": False,
            "NEW_ACCOUNT_HOURS": 0,
            "NEW_MEMBER_POSTS": 0,
            # One index update at the end (`flask search sync`), not one per post.
            "SEARCH_DRAIN": "off",
        }
    )
    data = SeedData()
    # A request context so Markdown @mentions and #tags link to local paths.
    with app.test_request_context("/"):
        users = {
            name: accounts.register_user(name, f"{name}@example.org", PASSWORD, health_consent=True)
            for name in USERS
        }
        topic = communities.create_topic(
            None, TOPIC, "Heart health", "Blood pressure, cholesterol and heart conditions."
        )
        public = communities.create_community(
            None, PUBLIC, "Heart talk", topic,
            description="Everyday questions about blood pressure and heart health.",
            rules="Be kind. Share experience, not prescriptions.",
        )  # fmt: skip
        private = communities.create_community(
            None, PRIVATE, "Heart circle", topic,
            description="A private support group for people living with heart failure.",
            is_private=True,
        )  # fmt: skip
        communities.add_member(None, private, users[MODERATOR], moderator=True)
        communities.add_member(None, public, users[MODERATOR], moderator=True)
        question = threads.create_thread(
            users[ASKER], public, "How do you keep your blood pressure down in winter?",
            QUESTION_BODY, "blood-pressure winter",
        )  # fmt: skip
        reply = threads.post_reply(users[REPLIER], question, REPLY_BODY)
        data.question_id, data.reply_id = question.id, reply.id
        data.hostile_thread_ids = _seed_hostile(users, payloads)
        _seed_flows(data, users, topic, public)
        import_samples()
        synced = app.test_cli_runner().invoke(args=["search", "sync"])
        assert synced.exit_code == 0, synced.output
        db.session.remove()
        db.engine.dispose()
    return data


def _seed_hostile(users: dict[str, User], payloads: list[str]) -> list[int]:
    """One thread per payload: the payload is its title (where it fits), body and reply."""
    topic = communities.create_topic(None, HOSTILE_TOPIC, "Everyday health", "")
    community = communities.create_community(
        None, HOSTILE_COMMUNITY, "Open corner", topic,
        description=payloads[0] if payloads else "",
    )  # fmt: skip
    ids = []
    for number, payload in enumerate(payloads, start=1):
        thread = threads.create_thread(
            users[HOSTILE_AUTHOR], community, hostile_title(number, payload), payload,
            HOSTILE_TAG,
        )  # fmt: skip
        threads.post_reply(users[HOSTILE_REPLIER], thread, payload)
        ids.append(thread.id)
    return ids


def _seed_flows(
    data: SeedData, users: dict[str, User], topic: HealthTopic, public: Community
) -> None:
    """A verified expert for the topic, and the threads of the expert, report and crisis flows."""
    profile = experts.apply_as_expert(
        users[EXPERT], credentials=EXPERT_CREDENTIALS, profession="Physician",
        specialty=EXPERT_SPECIALTY, topic_ids=[topic.id], licence_number="MD-204918",
        licence_issuer="State Medical Board",
    )  # fmt: skip
    experts.verify_expert(None, profile, topic_ids=[topic.id], reason="licence checked")

    to_endorse = threads.create_thread(
        users[ASKER], public, TO_ENDORSE_TITLE, "Mine is a wrist cuff. Are its numbers good enough?"
    )
    threads.post_reply(users[REPLIER], to_endorse, TO_ENDORSE_REPLY)
    endorsed = threads.create_thread(
        users[ASKER], public, ENDORSED_TITLE, "My GP asked for home readings. How many?"
    )
    reply = threads.post_reply(users[REPLIER], endorsed, ENDORSED_REPLY)
    experts.endorse_post(
        users[EXPERT], reply, "Matches the guideline for home readings.", "guideline"
    )
    to_report = threads.create_thread(
        users[ASKER], public, TO_REPORT_TITLE, "My readings are lower when it is warm."
    )
    threads.post_reply(users[MISINFORMER], to_report, TO_REPORT_REPLY)
    # Crisis wording: the post is flagged urgent and raises an automatic report.
    crisis = threads.create_thread(users[WORRIED], public, CRISIS_TITLE, CRISIS_BODY)
    data.to_endorse_thread_id, data.endorsed_thread_id = to_endorse.id, endorsed.id
    data.to_report_thread_id, data.crisis_thread_id = to_report.id, crisis.id
