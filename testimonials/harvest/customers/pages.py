"""Dashboard page: Settings → Known customers. Owners and editors add or clear; viewers look."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from testimonials.accounts.auth import act_in, current_membership, role_required
from testimonials.accounts.forms import ActionForm
from testimonials.accounts.models import Role
from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.errors import InvalidInputError
from testimonials.harvest.customers import services
from testimonials.harvest.customers.files import entries_from_file
from testimonials.harvest.customers.services import CustomerListUpdate
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.personal_data import subject_key_for
from testimonials.web import current_role, current_workspace_id

bp = Blueprint("customers_pages", __name__)
PAGE = "/settings/known-customers"
# A pasted list is read like a file; a megabyte is tens of thousands of addresses.
MAX_PASTED_CHARACTERS = 1_000_000


class KnownCustomersForm(FlaskForm):
    file = FileField("File (one address per line, or CSV with an “email” column)")
    pasted = TextAreaField(
        "Or paste addresses, one per line",
        validators=[Optional(), Length(max=MAX_PASTED_CHARACTERS)],
    )


def _render(
    form: KnownCustomersForm,
    report: CustomerListUpdate | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Any:
    summary = services.customer_list_summary(get_session(), current_workspace_id())
    html = render_template(
        "customers/known_customers.html",
        form=form,
        action=ActionForm(),
        summary=summary,
        report=report,
        problem=problem,
        can_edit=current_role().allows(Role.EDITOR),
        max_per_request=services.MAX_EMAILS_PER_REQUEST,
    )
    return html, status


@bp.route(PAGE, methods=["GET", "POST"])
@role_required(Role.VIEWER)
def known_customers() -> Any:
    """The list's size and age; owners and editors upload or paste addresses here."""
    form = KnownCustomersForm()
    if request.method == "GET":
        return _render(form)
    if not current_role().allows(Role.EDITOR):
        return _render(form, problem="Viewers cannot change the list; ask an editor.", status=403)
    if not form.validate_on_submit():
        return _render(form, status=400)
    upload = form.file.data
    if upload and upload.filename:
        stream = upload.stream
    elif (form.pasted.data or "").strip():
        stream = io.BytesIO((form.pasted.data or "").encode())
    else:
        return _render(form, problem="Choose a file or paste some addresses.", status=400)
    db = get_session()
    try:
        report = services.add_known_customers(
            db,
            current_workspace_id(),
            entries_from_file(stream),
            subject_key_for(current_app),
            intake_scorer_for(current_app),
        )
    except InvalidInputError as error:
        return _render(form, problem=error.detail, status=422)
    # Rendered, not redirected: the report lists every refused entry.
    return _render(KnownCustomersForm(formdata=None), report=report)


@bp.errorhandler(RequestEntityTooLarge)
def _file_too_large(_error: RequestEntityTooLarge) -> Any:
    # Raised while reading the form, before the view runs: answer on the same page.
    membership = current_membership()
    if membership is None:
        return "The file is larger than the upload limit.", 413
    act_in(membership)
    request.form = request.files = ImmutableMultiDict()  # type: ignore[assignment]
    limit = settings_for(current_app).max_content_length / 1024 / 1024
    message = (
        f"The file is larger than the {limit:.0f} MB upload limit. Split it, or use "
        "`flask --app testimonials known-customers FILE --workspace SLUG`."
    )
    return _render(KnownCustomersForm(formdata=None), problem=message, status=413)


@bp.route(f"{PAGE}/clear", methods=["POST"])
@role_required(Role.EDITOR)
def clear_known_customers() -> Any:
    """Empty the list (verified feedback stays verified)."""
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; please try again.")
    db = get_session()
    removed = services.clear_known_customers(db, current_workspace_id())
    flash(f"Removed {removed:,} addresses from the list. Feedback already verified stays verified.")
    return redirect(url_for("customers_pages.known_customers"))
