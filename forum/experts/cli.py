"""`flask experts ...` and `flask orgs ...`: operator commands, all audited."""

from __future__ import annotations

import click
from flask import url_for
from flask.cli import AppGroup
from sqlalchemy import select

from forum.auth.services import find_user_by_name
from forum.errors import DomainError
from forum.experts import services
from forum.extensions import db
from forum.models import ExpertProfile, HealthTopic, User

experts_cli = AppGroup("experts", help="Verify and revoke health experts.")
orgs_cli = AppGroup("orgs", help="Verified organizations.")


def _user(name: str) -> User:
    user = find_user_by_name(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    return user


@experts_cli.command("verify")
@click.argument("name")
@click.option("--credentials", required=True, help="e.g. MD, RN, PharmD, RD")
@click.option("--specialty", default="", help="e.g. Oncology")
@click.option("--topic", "topics", multiple=True, required=True, help="A health topic slug.")
@click.option("--months", type=int, default=None, help="Validity (default from the config).")
def verify(
    name: str, credentials: str, specialty: str, topics: tuple[str, ...], months: int | None
) -> None:
    """Verify the member NAME as an expert for the given topics."""
    user = _user(name)
    found = db.session.scalars(select(HealthTopic).where(HealthTopic.slug.in_(topics))).all()
    missing = sorted(set(topics) - {topic.slug for topic in found})
    if missing:
        raise click.ClickException(f"no topic {', '.join(missing)}")
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    if profile is None:
        profile = ExpertProfile(user_id=user.id, credentials=credentials)
        db.session.add(profile)
        db.session.flush()
    try:
        services.verify_expert(
            None,
            profile,
            topic_ids=[topic.id for topic in found],
            months=months,
            credentials=credentials,
            specialty=specialty,
            reason="verified by operator",
        )
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(
        f"{user.name} is a verified expert ({credentials}) until {profile.expires_at:%Y-%m-%d}"
    )


@experts_cli.command("revoke")
@click.argument("name")
@click.option("--reason", required=True)
def revoke(name: str, reason: str) -> None:
    """Revoke the verification of NAME."""
    user = _user(name)
    try:
        services.revoke_expert(None, services.profile_for(user), reason)
    except DomainError as error:
        raise click.ClickException(error.message or f"{name} is not an expert") from error
    click.echo(f"{user.name} is no longer a verified expert")


@experts_cli.command("remind")
def remind() -> None:
    """E-mail experts whose verification lapses soon."""
    count = services.remind_expiring(lambda: url_for("experts.apply", _external=True))
    click.echo(f"reminded {count} expert{'s' if count != 1 else ''}")


@orgs_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The organization's public name.")
@click.option("--url", required=True, help="Its website (http or https).")
@click.option("--email", default=None, help="Contact address (private).")
def create_org(slug: str, name: str, url: str, email: str | None) -> None:
    """Create a verified organization account SLUG."""
    try:
        profile = services.create_organization(slug, name, url, email=email)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"created organization {profile.user.name} ({profile.organization_name})")
