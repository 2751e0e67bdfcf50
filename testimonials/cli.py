"""`flask --app testimonials …` commands. Thin: parse arguments, call services, commit."""

from __future__ import annotations

import logging
import secrets
import signal
import socket
import threading
import time
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.engine import make_url

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role, Scope
from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.intake import intake_scorer_for

if TYPE_CHECKING:
    from testimonials.demo import SeedSummary

db_group = AppGroup("db", help="Create, upgrade and downgrade the database schema.")


def _database_url() -> str:
    return settings_for(current_app).database_url


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
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--serve/--no-serve", default=True, help="Serve the dashboard until Ctrl-C.")
def demo(host: str, port: int, serve: bool) -> None:
    """Create the database, seed a demo workspace, print the sign-in and serve until Ctrl-C."""
    from testimonials.curation.services import Actor
    from testimonials.demo import DEMO_EMAIL, DEMO_SLUG, seed_demo_workspace
    from testimonials.demo.traffic import demo_testimonial_ids, seed_simulated_month
    from testimonials.widgets.demo import seed_demo_widgets, serve_landing_page

    migrate.upgrade(_database_url())
    db = get_session()
    password = secrets.token_urlsafe(9)
    summary = seed_demo_workspace(db, password, intake_scorer_for(current_app))
    owner = accounts.find_user_by_email(db, DEMO_EMAIL)
    if owner is None:  # seed_demo_workspace just created them
        raise RuntimeError(f"The demo owner {DEMO_EMAIL} was not created.")
    workspace_id = accounts.find_workspace(db, DEMO_SLUG).id
    widget_keys = seed_demo_widgets(db, workspace_id, Actor(user_id=owner.id))
    db.commit()
    testimonial_ids = demo_testimonial_ids(db, workspace_id)
    simulated = seed_simulated_month(db, workspace_id, widget_keys["carousel"], testimonial_ids)
    db.commit()
    db.close()  # the server opens its own sessions; hold no connection while it runs
    url = f"http://{host}:{port}/"
    landing = "not served (--no-serve)"
    if serve:
        # Another origin beside the dashboard: the next port, or any free one if it is taken.
        landing_server = serve_landing_page(
            host, _port_or_any(host, port + 1), url.rstrip("/"), widget_keys
        )
        landing = f"http://{host}:{landing_server.server_port}/"
    click.echo("\n".join(["", *_demo_report(summary), ""]))
    click.echo(
        "\n".join(
            [
                f"  Open:           {url}",
                f"  Sign in as:     {DEMO_EMAIL}",
                f"  Password:       {password}   (new on every `demo` run)",
                f"  API key (read): {summary.api_token}",
                f"  Landing page:   {landing}   (another origin, embedding the demo widgets)",
                f"  Lift report:    {url}reports/experiments/{simulated.id}   (simulated data)",
                f"  Database:       {make_url(_database_url()).render_as_string()}",
                "",
            ]
        )
    )
    if serve:
        _serve_until_interrupted(current_app._get_current_object(), host, port)  # type: ignore[attr-defined]


def _port_or_any(host: str, port: int) -> int:
    """`port` if nothing listens there, else 0 (any free port)."""
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return 0
    return port


def _demo_report(summary: SeedSummary) -> list[str]:
    """What this run of `demo` did, in plain words."""
    name = summary.workspace_name
    if summary.workspace_created:
        lines = [f"Created the demo workspace {name!r}: {summary.items} feedback items."]
    elif summary.added:
        lines = [
            f"Demo workspace {name!r} already existed: added the {summary.added} sample "
            f"items it lacked ({summary.items} feedback items now)."
        ]
    else:
        lines = [
            f"Demo workspace {name!r} already existed: nothing added twice "
            f"({summary.items} feedback items)."
        ]
    if summary.surveys_added and not summary.workspace_created:
        lines.append(f"Added {summary.surveys_added} missing demo survey(s).")
    if summary.updated:
        lines.append(
            f"Brought {summary.updated} items from an earlier demo up to date "
            "(the survey they answered, how they were verified)."
        )
    if not summary.workspace_created:
        revoked = summary.api_keys_revoked
        replaced = (
            "the earlier demo API key was revoked and replaced by the one below"
            if revoked
            else "a demo API key was issued"
        )
        lines.append(f"The demo password was reset and {replaced}.")
    return lines


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _serve_until_interrupted(app: Flask, host: str, port: int) -> None:
    """Serve the app with werkzeug until Ctrl-C (Flask ignores app.run() inside a command)."""
    from werkzeug.serving import run_simple

    click.echo(
        f"Serving the dashboard at http://{host}:{port}/ - press Ctrl-C to stop.\n"
        "(A development server, fine for trying it out; docs/operations.md runs production.)"
    )
    # The app logs one line per request itself; werkzeug's own access lines would repeat it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # `kill`, `docker stop` and process managers send SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
    _let_requests_in_flight_finish(seconds=2.0)
    click.echo("Stopped.")


def _let_requests_in_flight_finish(seconds: float) -> None:
    """Wait (briefly) for werkzeug's request threads, so "Stopped." is the last line printed.

    The server stops accepting at once but its request threads are daemons that may still
    be sending a response or writing its log line; an idle keep-alive connection's thread
    would wait for its browser, hence the deadline.
    """
    deadline = time.monotonic() + seconds
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))


def register(app: Flask) -> None:
    """Add the service-wide commands to the app's CLI (features add their own)."""
    from testimonials.jobs import jobs_group

    for command in (db_group, create_user, create_api_key, train_scorer, rescore, demo, jobs_group):
        app.cli.add_command(command)
