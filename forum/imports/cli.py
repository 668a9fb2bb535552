"""`flask import ...`: the drug directory, question/answer pairs and pill labels; safe to rerun."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from forum.drugs.importer import DATA_DIR, STEPS, import_drugs
from forum.errors import DomainError
from forum.imports import qa as importer
from forum.pills.cli import import_pills
from forum.search import outbox

import_cli = AppGroup("import", help="Load reference data into the forum.")
import_cli.add_command(import_pills)


@import_cli.command("drugs")
@click.option(
    "--data",
    "folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DATA_DIR,
    show_default="the files in forum/drugs/data",
    help="Folder with the drug data files.",
)
def import_drugs_command(folder: Path) -> None:
    """Load the drug directory, reviews' reference data and interaction rules; safe to rerun."""
    try:
        with click.progressbar(length=len(STEPS), label="Importing drugs") as bar:
            counts = import_drugs(folder, on_step=lambda _label: bar.update(1))
    except (OSError, KeyError, ValueError) as error:
        raise click.ClickException(f"the drug data could not be read: {error}") from error
    click.echo("drugs imported: " + ", ".join(f"{name} {n}" for name, n in counts.items()))


@import_cli.command("qa")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--community", "community_slug", required=True, help="Community slug.")
@click.option("--org", "org_name", required=True, help="The verified organization's account.")
def import_qa(file: Path, community_slug: str, org_name: str) -> None:
    """Import question/answer pairs (JSON Lines) as answered threads; safe to rerun."""
    try:
        community, org = importer.import_target(community_slug, org_name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    # Links in the texts (drug names, #tags) are built with url_for, which needs a request.
    with (
        current_app.test_request_context("/"),
        click.progressbar(
            length=importer.count_lines(file), label="Importing", show_pos=True
        ) as bar,
    ):
        result = importer.import_qa_file(file, community, org, on_line=bar.update)
    drained = outbox.drain_all()
    for bad in result.bad[:20]:
        click.echo(f"line {bad.line}: {bad.reason}", err=True)
    pending = " (search index busy: run `flask search sync`)" if drained.busy else ""
    click.echo(f"imported {file.name} into {community.slug}: {result.summary()}{pending}")
    if result.bad:
        lines = len(result.bad)
        raise click.ClickException(
            f"{lines} line{'s' if lines != 1 else ''} not imported (see above)"
        )
