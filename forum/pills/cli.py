"""`flask import pills PATH...`: SPL labels into the pill identifier."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from forum.pills import importer, queries

LISTED_BAD = 50


@click.command("pills")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_pills(paths: tuple[Path, ...]) -> None:
    """Read SPL labels (XML files, folders of them, DailyMed label zips) into the pill
    identifier; safe to rerun.

    A label already stored in the same or a newer version is skipped; a newer version
    replaces the older one. Files that cannot be read are listed on stderr and skipped: the
    command fails only when no label at all could be read.
    """
    with click.progressbar(
        length=importer.count_units(paths), label="Importing pill labels", file=sys.stderr
    ) as bar:
        report = importer.import_paths(paths, on_unit=lambda: bar.update(1))
    for name, reason in report.bad[:LISTED_BAD]:
        click.echo(f"skipped {name}: {reason}", err=True)
    if len(report.bad) > LISTED_BAD:
        click.echo(f"... and {len(report.bad) - LISTED_BAD} more bad files", err=True)
    pills, labels = queries.identifier_size()
    click.echo(f"pills imported: {report.summary()}; the identifier holds {pills} pills "
               f"from {labels} labels")  # fmt: skip
    if not report.labels_read:
        raise click.ClickException("no SPL label could be read")
