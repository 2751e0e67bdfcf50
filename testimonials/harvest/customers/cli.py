"""`flask --app testimonials known-customers FILE --workspace SLUG`: add a customer list."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from testimonials.accounts import services as accounts
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.customers import services
from testimonials.harvest.customers.files import entries_from_file
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.personal_data import subject_key_for

PROBLEMS_PRINTED = 10


@click.command("known-customers")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
@click.option(
    "--replace",
    is_flag=True,
    help="Clear the list first, so it holds exactly this file (e.g. a fresh CRM export).",
)
def known_customers_command(file: Path, slug: str, replace: bool) -> None:
    """Add the addresses in FILE (one per line, or CSV with an `email` column) to the list."""
    db = get_session()
    try:
        workspace = accounts.find_workspace(db, slug)
        removed = services.clear_known_customers(db, workspace.id) if replace else 0
        with file.open("rb") as stream:
            report = services.add_known_customers(
                db,
                workspace.id,
                entries_from_file(stream),
                subject_key_for(current_app),
                intake_scorer_for(current_app),
            )
    except ServiceError as error:
        db.rollback()
        raise click.ClickException(error.detail) from None
    db.commit()
    if replace:
        click.echo(f"Cleared {removed:,} addresses first.")
    click.echo(
        f"{report.received:,} entries: {report.added:,} added, {report.already_listed:,} "
        f"already on the list, {report.invalid:,} invalid"
        + (f", {report.erased:,} erased on request (not added back)" if report.erased else "")
        + f". {report.items_verified:,} existing feedback items verified. "
        f"The list of {workspace.name!r} now holds {report.count:,} addresses."
    )
    for problem in report.problems[:PROBLEMS_PRINTED]:
        click.echo(f"  line {problem['line']}: {problem['reason']} ({problem['value']})")
    refused = report.invalid + report.erased
    if refused > PROBLEMS_PRINTED:
        click.echo(f"  … and {refused - PROBLEMS_PRINTED:,} more.")


commands: list[click.Command] = [known_customers_command]
