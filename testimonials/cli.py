"""`flask --app testimonials …` commands. Thin: parse arguments, call services, commit."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role, Scope
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.intake import intake_scorer_for

db_group = AppGroup("db", help="Create, upgrade and downgrade the database schema.")


def _database_url() -> str:
    return current_app.config["DATABASE_URL"]


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(_database_url(), revision)
    click.echo(f"Database is at {migrate.current_revision(_database_url())}.")


@db_group.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (default: one step; `base` empties the database)."""
    migrate.downgrade(_database_url(), revision)
    click.echo(f"Database is at {migrate.current_revision(_database_url()) or 'base (empty)'}.")


@db_group.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    click.echo(migrate.current_revision(_database_url()) or "base (empty)")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option(
    "--workspace",
    "workspace_name",
    required=True,
    help="Workspace name; created if no workspace has this slug yet.",
)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.OWNER.value,
    show_default=True,
)
@click.option("--name", "display_name", default="", help="Display name.")
@click.password_option(
    envvar="TESTIMONIALS_NEW_USER_PASSWORD",
    help="Prompted for when not given (or TESTIMONIALS_NEW_USER_PASSWORD).",
)
def create_user(
    email: str, workspace_name: str, role: str, display_name: str, password: str
) -> None:
    """Create a dashboard user EMAIL with a role in a workspace."""
    db = get_session()
    try:
        try:
            workspace = accounts.find_workspace(db, accounts.slugify(workspace_name))
        except ServiceError:
            workspace = accounts.create_workspace(db, workspace_name)
        user = accounts.create_user(db, email, password, workspace, Role(role), display_name)
    except ServiceError as error:
        raise click.ClickException(error.detail) from None
    db.commit()
    click.echo(
        f"Created {user.email} ({role}) in workspace {workspace.name!r} [slug: {workspace.slug}]."
    )


@click.command("create-api-key")
@with_appcontext
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
@click.option("--name", required=True, help="What the key is for, e.g. 'Zapier'.")
@click.option(
    "--scope",
    type=click.Choice([s.value for s in Scope]),
    default=Scope.READ.value,
    show_default=True,
)
def create_api_key(slug: str, name: str, scope: str) -> None:
    """Create an API key and print it (the only time it is shown)."""
    db = get_session()
    try:
        workspace = accounts.find_workspace(db, slug)
        issued = accounts.create_api_key(db, workspace.id, name, Scope(scope))
    except ServiceError as error:
        raise click.ClickException(error.detail) from None
    db.commit()
    click.echo(
        f"API key {issued.api_key.name!r} ({scope}) for {workspace.name!r}. "
        "Copy it now; it will not be shown again:",
        err=True,
    )
    click.echo(issued.token)


@click.command("train-scorer")
@click.option(
    "--data",
    "data_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="Folder with the rated TSV files (e.g. ../shared/data/specificity).",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    help="Where to write the model JSON (default: the model shipped in the package).",
)
def train_scorer(data_dir: str, out_path: str | None) -> None:
    """Retrain the specificity model deterministically and print its evaluation."""
    from pathlib import Path

    from testimonials.scoring import DEFAULT_MODEL_PATH
    from testimonials.scoring.training import train_scorer as train

    try:
        report = train(Path(data_dir), Path(out_path) if out_path else DEFAULT_MODEL_PATH)
    except (OSError, ValueError, RuntimeError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(report.summary())
    click.echo("Run `flask --app testimonials rescore --workspace SLUG` to apply it.")


@click.command("rescore")
@click.option("--workspace", "slug", required=True, help="Workspace slug.")
@with_appcontext
def rescore(slug: str) -> None:
    """Score every item of a workspace again (after a model update)."""
    from testimonials.harvest import services as harvest

    db = get_session()
    try:
        workspace = accounts.find_workspace(db, slug)
    except ServiceError as error:
        raise click.ClickException(error.detail) from None
    total = harvest.count_feedback(db, workspace.id)
    scorer = intake_scorer_for(current_app)
    with click.progressbar(length=total, label=f"Rescoring {workspace.name}") as bar:
        done = 0
        for now_done in harvest.rescore_workspace(db, workspace.id, scorer):
            db.commit()
            bar.update(now_done - done)
            done = now_done
    click.echo(f"Rescored {done} items with {scorer.version}.")


@click.command("demo")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Start the web server afterwards.")
def demo(host: str, port: int, serve: bool) -> None:
    """Create the database, seed a demo workspace, print the login and serve the app."""
    from testimonials.curation.services import Actor
    from testimonials.demo import DEMO_EMAIL, DEMO_SLUG, seed_demo_workspace
    from testimonials.widgets.demo import seed_demo_widgets, serve_landing_page

    migrate.upgrade(_database_url())
    db = get_session()
    password = secrets.token_urlsafe(9)
    summary = seed_demo_workspace(db, password, intake_scorer_for(current_app))
    owner = accounts.find_user_by_email(db, DEMO_EMAIL)
    workspace_id = accounts.find_workspace(db, DEMO_SLUG).id
    widget_keys = seed_demo_widgets(db, workspace_id, Actor(user_id=owner.id))
    db.commit()
    url = f"http://{host}:{port}/"
    landing = f"http://{host}:{port + 1}/"
    click.echo(
        "\n".join(
            [
                "",
                f"  Demo workspace: {summary.workspace_name} ({summary.items} feedback items, "
                f"{summary.added} added now)",
                f"  Database:       {_database_url()}",
                f"  Open:           {url}",
                f"  Sign in as:     {DEMO_EMAIL}",
                f"  Password:       {password}   (new on every `demo` run)",
                f"  API key (read): {summary.api_token}",
                f"  Landing page:   {landing}   (another origin, embedding the demo widgets)",
                "",
            ]
        )
    )
    if serve:
        serve_landing_page(host, port + 1, url.rstrip("/"), widget_keys)
        current_app.run(host=host, port=port, debug=False, use_reloader=False)


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    from testimonials.curation.cli import commands as curation_commands
    from testimonials.harvest.customers.cli import commands as customer_commands
    from testimonials.harvest.imports.cli import commands as import_commands

    commands = (db_group, create_user, create_api_key, train_scorer, rescore, demo)
    for command in (*commands, *import_commands, *customer_commands, *curation_commands):
        app.cli.add_command(command)
