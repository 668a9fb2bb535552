"""`flask import drugs`: load the shipped drug directory and interaction data."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from forum.drugs.importer import DATA_DIR, STEPS, import_drugs

import_cli = AppGroup("import", help="Load reference data shipped with the forum.")


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
