"""`flask --app testimonials learn --workspace SLUG`: learn the team's taste now."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from testimonials.accounts import services as accounts
from testimonials.curation.learning import refit_workspace_model
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.intake import intake_scorer_for


@click.command("learn")
@with_appcontext
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
def learn_command(slug: str) -> None:
    """Fit the workspace's ranking model from its approve/reject decisions and re-rank its inbox."""
    db = get_session()
    try:
        workspace = accounts.find_workspace(db, slug)
    except ServiceError as error:
        raise click.ClickException(error.detail) from None
    model = refit_workspace_model(db, workspace.id, intake_scorer_for(current_app).scorer)
    db.commit()
    click.echo(f"{workspace.name}: {model.decisions} decisions (approved or rejected).")
    if model.held_out_accuracy is not None and model.majority_baseline is not None:
        click.echo(
            f"Held-out accuracy {model.held_out_accuracy:.0%} "
            f"vs {model.majority_baseline:.0%} always guessing the commoner decision."
        )
    click.echo(model.message)
    click.echo("The pending inbox has been re-ranked.")


commands = [learn_command]
