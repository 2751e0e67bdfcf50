"""API: the curation inbox — list, triage, excerpt, tag, photos, undo and the audit log.

Everything the dashboard can do is possible here too. Reads need a read key, every change
a write key; the acting key is recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.accounts.models import ApiKey, User
from testimonials.curation import bulk, services, tags
from testimonials.curation.after_triage import refit_after_response
from testimonials.curation.audit import audit_query
from testimonials.curation.inbox import InboxFilters
from testimonials.curation.listing import listed_testimonials
from testimonials.curation.models import AuditEntry, Status, Testimonial
from testimonials.curation.schemas import (
    ALL_STATUSES,
    ApproveSchema,
    AuditEntrySchema,
    AuditQueryArgsSchema,
    BulkActionSchema,
    BulkResultSchema,
    PhotoUploadSchema,
    RejectSchema,
    SnoozeSchema,
    TagCreateSchema,
    TagSchema,
    TestimonialListSchema,
    TestimonialQueryArgsSchema,
    TestimonialSchema,
    TestimonialUpdateSchema,
    testimonial_document,
)
from testimonials.db import Page, get_session, read_connection
from testimonials.harvest.photos import MAX_PHOTO_BYTES, process_photo
from testimonials.web import api_blueprint, current_actor, current_workspace_id

blp = api_blueprint(
    "curation_api", __name__, "Curation: the inbox, decisions, excerpts, tags, photos and audit log"
)


def _testimonial(db: Session, testimonial_id: int) -> Testimonial:
    return services.get_testimonial(db, current_workspace_id(), testimonial_id)


def _filters(args: dict[str, Any]) -> InboxFilters:
    return InboxFilters(
        status=None if args["status"] == ALL_STATUSES else Status(args["status"]),
        channel=args["channel"],
        source=args["source"],
        group=args["group"],
        rating=args["rating"],
        tag_id=args["tag_id"],
        language=args["language"],
        received_from=args["received_from"],
        received_to=args["received_to"],
        flagged=args["flagged"],
        needs_fix=args["needs_fix"],
        search=(args["q"] or "").strip() or None,  # a blank search box means no search
        sort=args["sort"],
    )


# --- Testimonials ----------------------------------------------------------------------


@blp.route("/testimonials")
class Testimonials(MethodView):
    @blp.paged(
        TestimonialSchema,
        args=TestimonialQueryArgsSchema,
        document=testimonial_document,
        reads_only=True,  # the key's lookup, then one statement: a page and its total
    )
    def get(self, args: dict[str, Any]) -> Any:
        """The inbox, best candidates first (`status=all` for every decision)."""
        return listed_testimonials(
            read_connection(),
            current_workspace_id(),
            _filters(args),
            args["page"],
            args["per_page"],
        )


@blp.route("/testimonials/<int:testimonial_id>")
class TestimonialView(MethodView):
    @blp.response(200, TestimonialSchema)
    def get(self, testimonial_id: int) -> Any:
        """One testimonial with its original text, scores, consent and decision."""
        return _testimonial(get_session(), testimonial_id)

    @blp.arguments(TestimonialUpdateSchema)
    @blp.response(200, TestimonialSchema)
    @blp.alt_response(422, description="The excerpt or name is not the customer's own words")
    def patch(self, changes: dict[str, Any], testimonial_id: int) -> Any:
        """Edit the public excerpt, the author display or the tags; the text never changes."""
        db = get_session()
        testimonial = _testimonial(db, testimonial_id)
        tag_ids = changes.pop("tag_ids", None)
        # Resolve tags first, so an unknown tag changes nothing at all.
        new_tags = tags.tags_by_id(db, current_workspace_id(), tag_ids) if tag_ids else []
        # One PATCH is one action: a single undo reverts all of it.
        batch_id = services.new_batch_id()
        if changes:
            services.edit(db, testimonial, current_actor(), changes, batch_id)
        if tag_ids is not None and {t.id for t in new_tags} != {t.id for t in testimonial.tags}:
            services.set_tags(db, testimonial, current_actor(), new_tags, batch_id)
        return testimonial


@blp.route("/testimonials/<int:testimonial_id>/approve")
class Approve(MethodView):
    @blp.arguments(ApproveSchema)
    @blp.response(200, TestimonialSchema)
    @blp.alt_response(
        409,
        description="No consent to publish, the author was erased, or the wording is "
        "flagged as not the customer's own",
    )
    def post(self, data: dict[str, Any], testimonial_id: int) -> Any:
        """Approve for widgets; needs granted consent, and `override_reason` when flagged."""
        db = get_session()
        testimonial = _testimonial(db, testimonial_id)
        services.approve(db, testimonial, current_actor(), data["override_reason"])
        refit_after_response(testimonial.workspace_id)
        return testimonial


@blp.route("/testimonials/<int:testimonial_id>/reject")
class Reject(MethodView):
    @blp.arguments(RejectSchema)
    @blp.response(200, TestimonialSchema)
    def post(self, data: dict[str, Any], testimonial_id: int) -> Any:
        """Reject, optionally with a reason."""
        db = get_session()
        testimonial = _testimonial(db, testimonial_id)
        services.reject(db, testimonial, current_actor(), data["reason"])
        refit_after_response(testimonial.workspace_id)
        return testimonial


@blp.route("/testimonials/<int:testimonial_id>/snooze")
class Snooze(MethodView):
    @blp.arguments(SnoozeSchema)
    @blp.response(200, TestimonialSchema)
    def post(self, data: dict[str, Any], testimonial_id: int) -> Any:
        """Hide from the inbox until a future time; it returns as pending then."""
        db = get_session()
        testimonial = _testimonial(db, testimonial_id)
        services.snooze(db, testimonial, current_actor(), data["until"])
        return testimonial


@blp.route("/testimonials/bulk")
class Bulk(MethodView):
    @blp.arguments(BulkActionSchema)
    @blp.response(200, BulkResultSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Approve, reject, snooze or tag many at once; refused ones are listed with why."""
        db = get_session()
        workspace_id = current_workspace_id()
        result = bulk.bulk_action(
            db,
            workspace_id,
            data["ids"],
            data["action"],
            current_actor(),
            reason=data["reason"],
            until=data["until"],
            tags=tags.tags_by_id(db, workspace_id, data["tag_ids"]) if data["tag_ids"] else (),
        )
        refit_after_response(workspace_id)
        return {
            "batch_id": result.batch_id,
            "done": result.done,
            "skipped": {str(k): v for k, v in result.skipped.items()},
        }


@blp.route("/testimonials/undo")
class Undo(MethodView):
    @blp.response(200, TestimonialListSchema)
    @blp.alt_response(404, description="Nothing to undo")
    def post(self) -> Any:
        """Undo this API key's last action (a whole bulk action at once)."""
        db = get_session()
        changed = services.undo_last(db, current_workspace_id(), current_actor())
        refit_after_response(current_workspace_id())
        return {"items": changed}


# --- Photos ----------------------------------------------------------------------------


@blp.route("/testimonials/<int:testimonial_id>/photo")
class Photo(MethodView):
    @blp.response(
        200,
        description="The author's photo, a 256x256 JPEG",
        content_type="image/jpeg",
    )
    @blp.alt_response(304, description="Not modified (If-None-Match)")
    def get(self, testimonial_id: int) -> Any:
        """The author's photo, with an ETag for cheap revalidation."""
        testimonial = _testimonial(get_session(), testimonial_id)
        if testimonial.photo is None or testimonial.photo_etag is None:
            abort(404, message="This testimonial has no photo.")
        response = Response(testimonial.photo, mimetype="image/jpeg")
        response.set_etag(testimonial.photo_etag or "")
        # Private: the API is authenticated; shared caches must not keep it.
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response.make_conditional(request)

    @blp.arguments(PhotoUploadSchema, location="files")
    @blp.response(200, TestimonialSchema)
    @blp.alt_response(413, description="The file is over 5 MB")
    def put(self, form: dict[str, Any], testimonial_id: int) -> Any:
        """Set the author's photo: any JPEG, PNG, WebP or GIF, stored clean as 256x256 JPEG."""
        db = get_session()
        testimonial = _testimonial(db, testimonial_id)
        # One byte over the limit is enough to refuse; never read more than that.
        photo = process_photo(form["photo"].stream.read(MAX_PHOTO_BYTES + 1))
        services.set_photo(db, testimonial, current_actor(), photo.jpeg, photo.etag)
        return testimonial

    @blp.response(204)
    def delete(self, testimonial_id: int) -> None:
        """Remove the author's photo."""
        db = get_session()
        testimonial = _testimonial(db, testimonial_id)
        if testimonial.photo_etag is not None:
            services.set_photo(db, testimonial, current_actor(), None, None)


# --- Tags ------------------------------------------------------------------------------


@blp.route("/tags")
class Tags(MethodView):
    @blp.paged(TagSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The workspace's tags, collections first."""
        return tags.tags_query(current_workspace_id())

    @blp.arguments(TagCreateSchema)
    @blp.response(201, TagSchema)
    @blp.alt_response(409, description="There is already a tag with this name")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a tag, or a collection (a tag widgets can show)."""
        db = get_session()
        tag = tags.create_tag(db, current_workspace_id(), data["name"], data["is_collection"])
        return tag


@blp.route("/tags/<int:tag_id>")
class TagView(MethodView):
    @blp.response(200, TagSchema)
    def get(self, tag_id: int) -> Any:
        """One tag."""
        return tags.get_tag(get_session(), current_workspace_id(), tag_id)

    @blp.response(204)
    def delete(self, tag_id: int) -> None:
        """Delete a tag; the testimonials it was on keep everything else."""
        db = get_session()
        tags.delete_tag(db, current_workspace_id(), tag_id)


# --- Audit log -------------------------------------------------------------------------


def _with_actor_names(db: Session, page: Page[AuditEntry]) -> Page[dict[str, Any]]:
    """Entries with `who`: the user's e-mail or the key's name (two lookups per page)."""
    user_ids = {e.actor_user_id for e in page.items if e.actor_user_id is not None}
    key_ids = {e.actor_api_key_id for e in page.items if e.actor_api_key_id is not None}
    emails = dict(db.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all())
    names = dict(db.execute(select(ApiKey.id, ApiKey.name).where(ApiKey.id.in_(key_ids))).all())
    rows = []
    for entry in page.items:
        values = {name: getattr(entry, name, None) for name in AuditEntrySchema().fields}
        if entry.actor_user_id is not None:
            values["who"], values["actor_type"] = emails.get(entry.actor_user_id), "user"
        elif entry.actor_api_key_id is not None:
            values["who"], values["actor_type"] = names.get(entry.actor_api_key_id), "api_key"
        else:
            values["who"], values["actor_type"] = None, None  # the user or key was deleted
        rows.append(values)
    return Page(items=rows, total=page.total, page=page.page, per_page=page.per_page)


@blp.route("/audit")
class Audit(MethodView):
    @blp.paged(AuditEntrySchema, args=AuditQueryArgsSchema, present=_with_actor_names)
    def get(self, args: dict[str, Any]) -> Any:
        """Who changed what and when, newest first (optionally for one testimonial)."""
        if args["testimonial_id"] is not None:
            _testimonial(get_session(), args["testimonial_id"])  # 404 for another workspace's
        return audit_query(current_workspace_id(), args["testimonial_id"])
