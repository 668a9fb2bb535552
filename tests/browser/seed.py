"""The data the browser tests need, written through the forum's own services."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from forum import create_app
from forum.auth import services as accounts
from forum.communities import services as communities
from forum.extensions import db
from forum.models import User
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
USERS = (
    MODERATOR, JOINER, ASKER, REPLIER, RESETTER, NO_SCRIPT_READER, READER,
    HOSTILE_AUTHOR, HOSTILE_REPLIER,
)  # fmt: skip

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


def seed(database_url: str, search_dir: str, payloads: list[str]) -> SeedData:
    """Create the accounts, communities, a question with a reply and the hostile threads."""
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
