"""Dashboard pages for review imports: upload, history, and each import's report."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from testimonials.accounts.auth import act_in, current_membership, role_required
from testimonials.accounts.models import Role
from testimonials.config import settings_for
from testimonials.db import get_session, paginate
from testimonials.errors import InvalidInputError
from testimonials.harvest.imports import services
from testimonials.harvest.imports.forms import ImportForm
from testimonials.harvest.imports.layouts import LAYOUTS
from testimonials.harvest.imports.views import import_workers, report_response
from testimonials.harvest.intake import intake_scorer_for
from testimonials.web import current_role, current_workspace_id

bp = Blueprint("imports_pages", __name__)
PER_PAGE = 25
ERRORS_SHOWN = 200


@bp.route("/imports", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def imports() -> Any:
    """Past imports; editors and owners upload a file here."""
    can_upload = current_role().allows(Role.EDITOR)
    form = ImportForm()
    status = 200
    problem = None
    if request.method == "POST":
        if not can_upload:
            return render_imports(form, False, "Viewers cannot import; ask an editor.", 403)
        if form.validate_on_submit():
            db = get_session()
            upload = form.file.data
            try:
                run = services.import_reviews(
                    db,
                    current_workspace_id(),
                    upload.stream,
                    upload.filename or "upload",
                    form.source_name.data,
                    intake_scorer_for(current_app),
                    mapping=form.mapping(),
                    encoding=form.encoding.data or None,
                    created_by_id=current_user.id,
                    workers=import_workers(),
                )
            except InvalidInputError as error:
                problem, status = error.detail, 422
            else:
                flash(
                    f"Imported {run.rows_added:,} new, {run.rows_duplicate:,} already there, "
                    f"{run.rows_invalid:,} invalid."
                )
                return redirect(url_for("imports_pages.import_report", import_id=run.id))
        else:
            status = 400
    return render_imports(form, can_upload, problem, status)


def render_imports(form: ImportForm, can_upload: bool, problem: str | None, status: int) -> Any:
    """The imports page: the upload form (for editors) and the history."""
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    page = paginate(
        get_session(), services.imports_query(current_workspace_id()), page_number, PER_PAGE
    )
    html = render_template(
        "imports/imports.html",
        form=form,
        page=page,
        can_upload=can_upload,
        problem=problem,
        layouts=LAYOUTS,
        limit_mb=settings_for(current_app).max_content_length / 1024 / 1024,
    )
    return html, status


@bp.errorhandler(RequestEntityTooLarge)
def _file_too_large(_error: RequestEntityTooLarge) -> Any:
    # Raised while reading the form, before the view runs: answer on the same page.
    membership = current_membership()
    if membership is None:
        return "The file is larger than the upload limit.", 413
    act_in(membership)
    # The body was refused unread; forms rendered on the page (sign-out, workspace switch)
    # must not try to parse it again.
    request.form = request.files = ImmutableMultiDict()  # type: ignore[assignment]
    limit = settings_for(current_app).max_content_length / 1024 / 1024
    can_upload = current_role().allows(Role.EDITOR)
    message = f"The file is larger than the {limit:.0f} MB upload limit. Use the command line."
    return render_imports(ImportForm(formdata=None), can_upload, message, 413)


@bp.route("/imports/<int:import_id>")
@role_required(Role.VIEWER)
def import_report(import_id: int) -> Any:
    """One import's counts, notes and invalid rows."""
    run = services.get_import(get_session(), current_workspace_id(), import_id)
    notes = [e["reason"] for e in run.errors if e.get("row") is None]
    errors = [e for e in run.errors if e.get("row") is not None]
    return render_template(
        "imports/report.html",
        run=run,
        notes=notes,
        errors=errors[:ERRORS_SHOWN],
        errors_listed=len(errors),
    )


@bp.route("/imports/<int:import_id>/report.csv")
@role_required(Role.VIEWER)
def import_report_csv(import_id: int) -> Any:
    """Download the import's report as CSV."""
    run = services.get_import(get_session(), current_workspace_id(), import_id)
    return report_response(run)
