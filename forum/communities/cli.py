"""`flask topics ...` and `flask communities ...`: operator commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.auth.services import find_user_by_name
from forum.communities import services
from forum.errors import DomainError

topics_cli = AppGroup("topics", help="Health topics (health centers).")
communities_cli = AppGroup("communities", help="Communities and their members.")


def _fail(error: DomainError) -> click.ClickException:
    return click.ClickException(error.message)


@topics_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--summary", default="")
def create_topic(slug: str, name: str, summary: str) -> None:
    """Create the health topic SLUG."""
    try:
        topic = services.create_topic(None, slug, name, summary)
    except DomainError as error:
        raise _fail(error) from error
    click.echo(f"created topic {topic.slug} ({topic.name})")


@communities_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--topic", "topic_slug", required=True, help="The health topic's slug.")
@click.option("--description", default="")
@click.option("--private", is_flag=True, help="A private support group.")
@click.option("--allow-anonymous", is_flag=True, help="Members may post anonymously.")
def create_community(
    slug: str, name: str, topic_slug: str, description: str, private: bool, allow_anonymous: bool
) -> None:
    """Create the community SLUG in a topic."""
    try:
        topic = services.topic_by_slug(topic_slug)
        community = services.create_community(
            None,
            slug,
            name,
            topic,
            description=description,
            is_private=private,
            allow_anonymous=allow_anonymous,
        )
    except DomainError as error:
        if error.status == 404:
            raise click.ClickException(f"no topic {topic_slug!r}") from error
        raise _fail(error) from error
    kind = "private group" if community.is_private else "community"
    click.echo(f"created {kind} {community.slug} in {topic.slug}")


@communities_cli.command("add-member")
@click.argument("slug")
@click.argument("name")
@click.option("--moderator", is_flag=True, help="Make them a moderator of the community.")
def add_member(slug: str, name: str, moderator: bool) -> None:
    """Add the user NAME to the community SLUG."""
    user = find_user_by_name(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    try:
        community = services.community_by_slug(slug)
    except DomainError as error:
        raise click.ClickException(f"no community {slug!r}") from error
    services.add_member(None, community, user, moderator=moderator)
    role = "moderator" if moderator else "member"
    click.echo(f"{user.name} is now a {role} of {community.slug}")
