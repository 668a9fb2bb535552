"""`flask search ...`: rebuild, sync, worker and verify the search index."""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import AbstractContextManager

import click
from flask.cli import AppGroup

from forum.search import maintenance, outbox
from forum.search.backend import IndexBusy, SearchDoc

search_cli = AppGroup("search", help="The search index.")


def _progress(docs: Iterable[SearchDoc], total: int) -> AbstractContextManager[Iterable[SearchDoc]]:
    return click.progressbar(docs, length=total, label="Indexing", show_pos=True)


@search_cli.command("rebuild")
def rebuild() -> None:
    """Build a new index from the database and swap it in."""
    started = time.perf_counter()
    try:
        result = maintenance.rebuild(progress=_progress)
    except IndexBusy as error:
        raise click.ClickException(f"the index is busy: {error}") from error
    seconds = time.perf_counter() - started
    rate = result.documents / seconds if seconds else 0.0
    click.echo(
        f"indexed {result.documents} documents in {seconds:.1f} s ({rate:.0f}/s), "
        f"replayed {result.replayed} changes"
    )


def _rebuild_if_outdated() -> None:
    try:
        result = maintenance.rebuild_if_outdated(progress=_progress)
    except IndexBusy as error:
        raise click.ClickException(f"the index is busy: {error}") from error
    if result is not None:
        click.echo(f"the index had an older format: rebuilt with {result.documents} documents")


@search_cli.command("sync")
def sync() -> None:
    """Apply pending index updates from the outbox (rebuilding an outdated index first)."""
    _rebuild_if_outdated()
    result = outbox.drain_all()
    pending = outbox.pending_count()
    click.echo(
        f"applied {result.applied}, removed {result.removed} from {result.rows} outbox rows; "
        f"{pending} pending"
    )
    if result.busy:
        raise click.ClickException("the index is busy: try again")


@search_cli.command("worker")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between drains.")
@click.option("--iterations", default=0, help="Stop after this many drains (0: run forever).")
def worker(interval: float, iterations: int) -> None:
    """Drain the outbox in a loop (for deployments with several app processes)."""
    done = 0
    click.echo("search worker started")
    _rebuild_if_outdated()
    try:
        while not iterations or done < iterations:
            result = outbox.drain_all()
            if result.rows:
                click.echo(f"applied {result.applied}, removed {result.removed}")
            done += 1
            if not iterations or done < iterations:
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    click.echo("search worker stopped")


@search_cli.command("verify")
@click.option("--repair", is_flag=True, help="Fix what differs.")
def verify(repair: bool) -> None:
    """Compare the index with the database; exit 1 on drift (unless repaired)."""
    try:
        drift = maintenance.verify(repair=repair)
    except IndexBusy as error:
        raise click.ClickException(f"the index is busy: {error}") from error
    if not drift.total:
        click.echo("index and database agree")
    elif repair:
        click.echo(f"repaired: {drift.summary()}")
    else:
        raise click.ClickException(f"drift: {drift.summary()} (run with --repair)")
