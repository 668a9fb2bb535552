"""Load demo accounts and content, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field

from forum.auth import services as accounts
from forum.models import Role

# Local demo accounts only; README says so and `--password` changes it.
DEMO_PASSWORD = "demo-forum-password"  # noqa: S105
DEMO_USERS: tuple[tuple[str, Role], ...] = (
    ("demo_admin", Role.ADMIN),
    ("demo_moderator", Role.MODERATOR),
    ("demo_editor", Role.EDITOR),
    ("dr_rivera", Role.MEMBER),
    ("nurse_okafor", Role.MEMBER),
    ("hopeful_hannah", Role.MEMBER),
    ("walking_wes", Role.MEMBER),
    ("sunny_side", Role.MEMBER),
    ("quiet_reader", Role.MEMBER),
)


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count

    def summary(self) -> str:
        if not self.created:
            return "nothing new"
        return ", ".join(f"{count} {what}" for what, count in sorted(self.created.items()))


def load_demo(password: str = DEMO_PASSWORD) -> SeedReport:
    """Create whatever part of the demo content is missing."""
    report = SeedReport()
    for name, role in DEMO_USERS:
        if accounts.find_user_by_name(name) is None:
            accounts.register_user(name, f"{name}@example.org", password, role=role)
            report.add("users")
    return report
