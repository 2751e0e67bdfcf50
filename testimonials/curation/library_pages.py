"""Dashboard pages for the workspace's curation record: the audit log and the tags."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from testimonials.accounts.auth import role_required
from testimonials.accounts.models import Role
from testimonials.curation import tags
from testimonials.curation.audit import audit_query, audit_rows
from testimonials.curation.dashboard import bp, can
from testimonials.curation.forms import TagForm
from testimonials.curation.models import Tag, testimonial_tags
from testimonials.db import get_session, paginate
from testimonials.errors import ServiceError
from testimonials.web import current_workspace_id

AUDIT_PER_PAGE = 50


@bp.route("/audit")
@role_required(Role.VIEWER)
def audit_log() -> Any:
    """Every curation change in the workspace, newest first."""
    workspace_id = current_workspace_id()
    session = get_session()
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    page = paginate(session, audit_query(workspace_id), page_number, AUDIT_PER_PAGE)
    return render_template(
        "curation/audit.html", page=page, rows=audit_rows(session, workspace_id, page.items)
    )


# --- tags -----------------------------------------------------------------------------


@bp.route("/tags", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def tag_list() -> Any:
    """Tags and collections with how many testimonials carry each; editors create them."""
    workspace_id = current_workspace_id()
    session = get_session()
    form = TagForm()
    status = 200
    if request.method == "POST":
        if not can(Role.EDITOR):
            abort(403, "Viewers cannot create tags.")
        if form.validate_on_submit():
            try:
                tag = tags.create_tag(
                    session, workspace_id, form.name.data or "", bool(form.is_collection.data)
                )
            except ServiceError as error:
                form.name.errors = [error.detail]
            else:
                flash(f"Created {'collection' if tag.is_collection else 'tag'} “{tag.name}”.")
                return redirect(url_for("curation_pages.tag_list"))
        status = 422
    counts: dict[int, int] = dict(
        session.execute(
            select(testimonial_tags.c.tag_id, func.count())
            .join(Tag, Tag.id == testimonial_tags.c.tag_id)
            .where(Tag.workspace_id == workspace_id)
            .group_by(testimonial_tags.c.tag_id)
        ).all()
    )
    return render_template(
        "curation/tags.html",
        form=form,
        tags=session.scalars(tags.tags_query(workspace_id)).all(),
        counts=counts,
        can_edit=can(Role.EDITOR),
        can_delete=can(Role.OWNER),
    ), status


@bp.route("/tags/<int:tag_id>/delete", methods=["POST"])
@role_required(Role.OWNER)
def delete_tag(tag_id: int) -> Any:
    """Delete a tag (owners); testimonials keep everything else."""
    session = get_session()
    tag = tags.get_tag(session, current_workspace_id(), tag_id)
    name = tag.name
    tags.delete_tag(session, tag.workspace_id, tag.id)
    flash(f"Deleted “{name}”.")
    return redirect(url_for("curation_pages.tag_list"))
