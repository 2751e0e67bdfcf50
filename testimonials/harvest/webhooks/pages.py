"""Pages: the webhook settings page for owners, and the public /hooks/{token} endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from testimonials.accounts.auth import role_required
from testimonials.accounts.forms import ActionForm
from testimonials.accounts.models import Role
from testimonials.config import settings_for
from testimonials.csrf import csrf
from testimonials.db import get_session
from testimonials.errors import InvalidInputError, ServiceError
from testimonials.harvest.webhooks import receiver, services
from testimonials.harvest.webhooks.models import WebhookSourceKind
from testimonials.harvest.webhooks.schemas import delivery_url
from testimonials.harvest.webhooks.services import IssuedWebhookSource
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    TOLERANCE_SECONDS,
    TYPEFORM_SIGNATURE_HEADER,
)
from testimonials.harvest.webhooks.typeform import MAX_AGE
from testimonials.web import current_role, current_workspace_id

bp = Blueprint("webhooks_pages", __name__)

# The public endpoint lives here, on a blueprint without API-key auth; tools can't send
# CSRF tokens, and the signature is what proves who is calling.
bp.add_url_rule("/hooks/<token>", view_func=receiver.receive_delivery, methods=["GET", "POST"])
csrf.exempt(receiver.receive_delivery)


KIND_LABELS = {
    WebhookSourceKind.TESTIMONIALS.value: "Our format (any tool that can sign)",
    WebhookSourceKind.TYPEFORM.value: "Typeform (its own webhooks)",
}


class WebhookSourceForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        "Sends",
        choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()],
        default=WebhookSourceKind.TESTIMONIALS.value,
    )


# What each field of a Typeform source's map means, for the form's labels.
FIELD_MAP_LABELS = {
    "score": "NPS score (0–10)",
    "comment": "Comment",
    "email": "E-mail",
    "name": "Name",
    "role": "Role",
    "company": "Company",
    "consent": "Permission to quote (yes/no)",
}


@dataclass
class FieldMapAttempt:
    """A field map an owner typed that could not be saved: shown again with the reasons."""

    source_id: int
    values: dict[str, str]
    errors: dict[str, list[str]]


def _render(
    form: WebhookSourceForm,
    issued: IssuedWebhookSource | None = None,
    field_map_attempt: FieldMapAttempt | None = None,
) -> str:
    sources = get_session().scalars(services.sources_query(current_workspace_id())).all()
    return render_template(
        "webhooks/sources.html",
        form=form,
        sources=sources,
        issued=issued,
        action=ActionForm(),
        delivery_url=delivery_url,
        timestamp_header=TIMESTAMP_HEADER,
        signature_header=SIGNATURE_HEADER,
        tolerance_seconds=TOLERANCE_SECONDS,
        typeform_signature_header=TYPEFORM_SIGNATURE_HEADER,
        typeform_max_age_days=MAX_AGE.days,
        kind_labels=KIND_LABELS,
        field_map_labels=FIELD_MAP_LABELS,
        field_map_attempt=field_map_attempt,
        is_owner=current_role() is Role.OWNER,
    )


@bp.route("/settings/webhooks", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def webhook_sources() -> Any:
    """List webhook sources; owners create them (the secret is shown once)."""
    form = WebhookSourceForm()
    if request.method == "POST":
        if current_role() is not Role.OWNER:
            abort(403, "Only owners can add webhook sources.")
        if form.validate_on_submit():
            db = get_session()
            try:
                issued = services.create_source(
                    db,
                    current_workspace_id(),
                    form.name.data or "",
                    settings_for(current_app).derived_secret_key,
                    kind=WebhookSourceKind(form.kind.data),
                )
            except ServiceError as error:
                form.name.errors.append(error.detail)
            else:
                return _render(WebhookSourceForm(formdata=None), issued)
        return _render(form), 400
    return _render(form)


@bp.route("/settings/webhooks/<int:source_id>/rotate", methods=["POST"])
@role_required(Role.OWNER)
def rotate_webhook_secret(source_id: int) -> Any:
    """Replace a source's secret and show the new one, once."""
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; please try again.")
    db = get_session()
    issued = services.rotate_secret(
        db, current_workspace_id(), source_id, settings_for(current_app).derived_secret_key
    )
    # Rendered, not redirected: the secret must not travel through a cookie or a URL.
    return _render(WebhookSourceForm(formdata=None), issued)


@bp.route("/settings/webhooks/<int:source_id>/field-map", methods=["POST"])
@role_required(Role.OWNER)
def save_field_map(source_id: int) -> Any:
    """Say which Typeform question (by its ref) feeds which field; blank means automatic."""
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; please try again.")
    typed = {field: request.form.get(f"map_{field}", "").strip() for field in FIELD_MAP_LABELS}
    db = get_session()
    try:
        source = services.set_field_map(
            db, current_workspace_id(), source_id, {k: v for k, v in typed.items() if v}
        )
    except InvalidInputError as error:
        # Per-field reasons come nested under "field_map", as the API reports them.
        reasons = (error.errors or {}).get("field_map")
        per_field = reasons if isinstance(reasons, dict) else {"field_map": [error.detail]}
        attempt = FieldMapAttempt(source_id, typed, per_field)
        return _render(WebhookSourceForm(formdata=None), field_map_attempt=attempt), 400
    flash(f"Saved which Typeform questions feed “{source.name}”.")
    return redirect(url_for("webhooks_pages.webhook_sources"))


@bp.route("/settings/webhooks/<int:source_id>/deactivate", methods=["POST"])
@role_required(Role.OWNER)
def deactivate_webhook_source(source_id: int) -> Any:
    """Stop accepting deliveries from a source."""
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; please try again.")
    db = get_session()
    source = services.deactivate_source(db, current_workspace_id(), source_id)
    flash(f"Deactivated the webhook source “{source.name}”. Its URL now answers 410 Gone.")
    return redirect(url_for("webhooks_pages.webhook_sources"))
