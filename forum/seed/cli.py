"""`flask seed demo`: demo content for a local forum."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.errors import DomainError
from forum.seed.demo import DEMO_PASSWORD, load_demo

seed_cli = AppGroup("seed", help="Load demo content.")


@seed_cli.command("demo")
@click.option(
    "--password",
    envvar="FORUM_DEMO_PASSWORD",
    default=DEMO_PASSWORD,
    show_default=True,
    help="Password of the demo accounts.",
)
def seed_demo(password: str) -> None:
    """Load demo accounts and content; safe to run again."""
    try:
        report = load_demo(password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"demo content loaded: {report.summary()}")
