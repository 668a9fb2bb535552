"""`flask mail ...`: send the outbox now, run a sending worker, build the due digests."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from forum import mail
from forum.notifications import digests

mail_cli = AppGroup("mail", help="The mail outbox and digests.")


@mail_cli.command("drain")
def drain() -> None:
    """Send every message that is due now, then exit."""
    result = mail.drain_all()
    click.echo(f"sent {result.sent}, retry later {result.retried}, failed {result.failed}")


@mail_cli.command("worker")
@click.option("--once", is_flag=True, help="One pass, then exit.")
def worker(once: bool) -> None:
    """Send due messages in a loop (several workers may run on PostgreSQL)."""
    sleep = min(max(float(current_app.config["MAIL_WORKER_SLEEP"]), 0.5), 60.0)
    click.echo(f"mail worker started, polling every {sleep:g} s")
    while True:
        result = mail.drain_all()
        if result.handled:
            click.echo(f"sent {result.sent}, retry later {result.retried}, failed {result.failed}")
        if once:
            return
        time.sleep(sleep)


@mail_cli.command("digests")
def build_digests() -> None:
    """Write the due daily and weekly digests to the outbox."""
    daily, weekly = digests.build_due_digests()
    click.echo(f"queued {daily} daily and {weekly} weekly digests")
