"""Dashboard page of one testimonial: the original words, its excerpt, author, tags, photo."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from testimonials.accounts.auth import role_required
from testimonials.accounts.models import Role
from testimonials.curation import services, tags
from testimonials.curation.audit import audit_rows
from testimonials.curation.dashboard import bp, can, done, refused, testimonial_in_workspace
from testimonials.curation.excerpts import check_excerpt
from testimonials.curation.forms import EditForm, PhotoForm
from testimonials.curation.models import AuditEntry, Testimonial
from testimonials.db import get_session
from testimonials.errors import InvalidInputError, ServiceError
from testimonials.harvest.photos import process_photo
from testimonials.web import current_actor


def _render_edit(testimonial: Testimonial, form: EditForm, status: int = 200) -> Any:
    session = get_session()
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.testimonial_id == testimonial.id)
        .order_by(AuditEntry.id.desc())
        .limit(200)
    ).all()
    return render_template(
        "curation/edit.html",
        t=testimonial,
        item=testimonial.item,
        form=form,
        photo_form=PhotoForm(formdata=None),
        workspace_tags=session.scalars(tags.tags_query(testimonial.workspace_id)).all(),
        history=audit_rows(session, testimonial.workspace_id, entries),
        corrections=check_excerpt(testimonial.item.text, testimonial.excerpt).corrections
        if testimonial.excerpt and not testimonial.honesty_problem
        else (),
        can_edit=can(Role.EDITOR),
        threshold=services.SUSPICION_OVERRIDE_THRESHOLD,
        here=url_for("curation_pages.edit", testimonial_id=testimonial.id),
    ), status


def _display_defaults(testimonial: Testimonial) -> dict[str, str]:
    item = testimonial.item
    return {
        "excerpt": testimonial.public_excerpt,
        "display_name": testimonial.display_name or item.author_name or "",
        "display_role": testimonial.display_role or item.author_role or "",
        "display_company": testimonial.display_company or item.author_company or "",
        "disclosure": testimonial.disclosure or "",
    }


@bp.route("/inbox/<int:testimonial_id>", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def edit(testimonial_id: int) -> Any:
    """One testimonial: the original (read only), its public excerpt, author, photo, tags."""
    testimonial = testimonial_in_workspace(testimonial_id)
    current = _display_defaults(testimonial)
    if request.method == "GET":
        return _render_edit(testimonial, EditForm(data=current))
    if not can(Role.EDITOR):
        abort(403, "Viewers cannot edit testimonials.")
    form = EditForm()
    if not form.validate_on_submit():
        return _render_edit(testimonial, form, 422)
    changes = {
        name: (getattr(form, name).data or "")
        for name in current
        if (getattr(form, name).data or "").strip() != current[name].strip()
    }
    try:
        services.edit(get_session(), testimonial, current_actor(), changes)
    except InvalidInputError as error:
        for field, messages in (error.errors or {}).items():
            if hasattr(form, field):
                getattr(form, field).errors = list(messages) or [error.detail]
        return _render_edit(testimonial, form, 422)
    flash("Saved. The original text is unchanged." if changes else "Nothing changed.")
    return redirect(url_for("curation_pages.edit", testimonial_id=testimonial.id))


@bp.route("/inbox/<int:testimonial_id>/tags", methods=["POST"])
@role_required(Role.EDITOR)
def set_tags(testimonial_id: int) -> Any:
    """Replace the tags (checkboxes), creating a new one inline if named."""
    testimonial = testimonial_in_workspace(testimonial_id)
    session = get_session()
    try:
        chosen = tags.chosen_tags(
            session,
            testimonial.workspace_id,
            request.form.getlist("tag_id"),
            request.form.get("new_tag", ""),
        )
        services.set_tags(session, testimonial, current_actor(), chosen)
    except ServiceError as error:
        return refused(error)
    return done(f"Tags of #{testimonial.id} saved.", [testimonial])


@bp.route("/inbox/<int:testimonial_id>/photo", methods=["POST"])
@role_required(Role.EDITOR)
def upload_photo(testimonial_id: int) -> Any:
    """Upload the author's photo (checked, resized and re-encoded as JPEG)."""
    testimonial = testimonial_in_workspace(testimonial_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        return refused(InvalidInputError("Choose a photo to upload.", {"photo": ["Missing."]}))
    try:
        processed = process_photo(form.photo.data.read())
        services.set_photo(
            get_session(), testimonial, current_actor(), processed.jpeg, processed.etag
        )
    except ServiceError as error:
        return refused(error)
    return done("Photo saved.", [testimonial])


@bp.route("/inbox/<int:testimonial_id>/photo/delete", methods=["POST"])
@role_required(Role.EDITOR)
def remove_photo(testimonial_id: int) -> Any:
    """Remove the author's photo."""
    testimonial = testimonial_in_workspace(testimonial_id)
    services.set_photo(get_session(), testimonial, current_actor(), None, None)
    return done("Photo removed.", [testimonial])


@bp.route("/inbox/<int:testimonial_id>/photo.jpg")
@role_required(Role.VIEWER)
def photo(testimonial_id: int) -> Any:
    """The author's photo, for signed-in members (revalidated by ETag)."""
    testimonial = testimonial_in_workspace(testimonial_id)
    if testimonial.photo is None:
        abort(404, "No photo.")
    response = Response(testimonial.photo, mimetype="image/jpeg")
    response.set_etag(testimonial.photo_etag or "")
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)
