"""`flask --app testimonials import FILE --workspace SLUG`: import reviews from a file."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from testimonials.accounts import services as accounts
from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.imports import services
from testimonials.harvest.imports.layouts import FIELDS, MappingError, parse_mapping_text
from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.intake import intake_scorer_for

# The web upload is capped by MAX_CONTENT_LENGTH; the CLI streams, but a file this big is
# almost certainly not a review export.
MAX_FILE_BYTES = 2 * 1024**3
ERRORS_PRINTED = 10


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
@click.option(
    "--source",
    "source_name",
    default=None,
    help="Where the reviews come from (default: the recognised export, e.g. Trustpilot).",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN,...",
    help=f"Which column holds what; fields: {', '.join(FIELDS)}. Repeatable.",
)
@click.option(
    "--encoding", default=None, help="A text file's encoding (default: detect; not for .xlsx)."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that score large files (default: IMPORT_WORKERS, else one per CPU).",
)
def import_command(
    file: Path,
    slug: str,
    source_name: str | None,
    mapping: tuple[str, ...],
    encoding: str | None,
    workers: int | None,
) -> None:
    """Import reviews from a CSV, JSON, JSON Lines or Excel .xlsx FILE (again: adds only new)."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise click.ClickException(
            f"{file.name} is {size / 1024**3:.1f} GB; the limit is "
            f"{MAX_FILE_BYTES / 1024**3:.0f} GB. Split it into smaller files."
        )
    try:
        columns = parse_mapping_text(mapping)
    except MappingError as error:
        raise click.ClickException(f"--map: {error}") from None
    db = get_session()
    try:
        workspace = accounts.find_workspace(db, slug)
    except ServiceError as error:
        raise click.ClickException(error.detail) from None
    workspace_id = workspace.id
    workers = workers or settings_for(current_app).import_workers or os.cpu_count() or 1
    run_id: int | None = None

    def commit_chunk(run: ImportRun) -> None:
        nonlocal run_id
        run_id = run.id
        db.commit()

    with (
        file.open("rb") as stream,
        click.progressbar(length=size, label=f"Importing {file.name}", width=30) as bar,
    ):

        def advance(position: int) -> None:
            bar.update(position - bar.pos)

        try:
            run = services.import_reviews(
                db,
                workspace_id,
                stream,
                file.name,
                source_name,
                intake_scorer_for(current_app),
                mapping=columns or None,
                encoding=encoding,
                workers=workers,
                checkpoint=commit_chunk,
                progress=advance,
            )
            db.commit()
        except ServiceError as error:
            db.rollback()
            raise click.ClickException(error.detail) from None
        except Exception as error:
            db.rollback()
            if run_id is not None:
                services.record_import_failure(
                    db, run_id, f"The import stopped ({type(error).__name__}: {error})."
                )
                db.commit()
                raise click.ClickException(
                    f"The import stopped: {error}. Rows committed before that are kept (see "
                    f"import #{run_id}); run the same command again to add the rest."
                ) from error
            raise
        bar.update(size - bar.pos)
    _print_report(run)


def _print_report(run: ImportRun) -> None:
    layout = f", {run.layout} layout" if run.layout else ""
    click.echo(
        f"Import #{run.id} ({run.file_format}{layout}, source {run.source_name!r}): "
        f"{run.rows_total:,} rows, {run.rows_added:,} added, "
        f"{run.rows_duplicate:,} duplicates, {run.rows_invalid:,} invalid."
    )
    for entry in run.errors:
        if entry.get("row") is None:
            click.echo(f"Note: {entry['reason']}")
    rows = [e for e in run.errors if e.get("row") is not None]
    for entry in rows[:ERRORS_PRINTED]:
        click.echo(f"  row {entry['row']}: {entry['reason']}")
    if run.rows_invalid > ERRORS_PRINTED:
        click.echo(f"  … and {run.rows_invalid - ERRORS_PRINTED:,} more (see the report CSV).")


commands: list[click.Command] = [import_command]
