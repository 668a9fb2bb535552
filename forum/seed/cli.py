"""`flask seed demo`: demo content for a local forum."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from forum.errors import DomainError
from forum.search import outbox
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
    # Thousands of small commits: index their outbox rows in one batch at the end rather
    # than in a background drain after each commit (which only competes for the CPU).
    mode = current_app.config["SEARCH_DRAIN"]
    current_app.config["SEARCH_DRAIN"] = "off"
    try:
        # Drug names in posts become links built with url_for, which needs a request.
        with current_app.test_request_context("/"):
            report = load_demo(password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    finally:
        current_app.config["SEARCH_DRAIN"] = mode
    drained = outbox.drain_all()
    pending = " (search index busy: run `flask search sync`)" if drained.busy else ""
    click.echo(f"demo content loaded: {report.summary()}{pending}")
