"""Dashboard pages for curation: the inbox, triage actions, the edit page, audit log and tags.

Every action is a plain POST form (works without JavaScript: it redirects back with a
message); inbox.js sends the same forms with `Accept: application/json` and gets JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import HTTPException

from testimonials.accounts.auth import current_membership, role_required, same_site_path
from testimonials.accounts.models import Role
from testimonials.curation import services, tags
from testimonials.curation.after_triage import refit_after_response
from testimonials.curation.forms import (
    inbox_filters_from,
    snooze_until,
)
from testimonials.curation.inbox import SORTS, InboxFilters, inbox_query
from testimonials.curation.models import Status, Tag, Testimonial
from testimonials.db import Page, get_session, utcnow, valid_page
from testimonials.errors import InvalidInputError, ServiceError
from testimonials.harvest.getting_started import setup_checklist, setup_steps
from testimonials.harvest.models import Channel, FeedbackItem, NpsGroup
from testimonials.problems import http_error_response

bp = Blueprint("curation_pages", __name__)
PER_PAGE = 25


# --- helpers --------------------------------------------------------------------------


def wants_json() -> bool:
    """Whether the caller (inbox.js) asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _workspace_id() -> int:
    membership = current_membership()
    assert membership is not None
    return membership.workspace_id


def _can(role: Role) -> bool:
    membership = current_membership()
    return membership is not None and Role(membership.role).allows(role)


def _actor() -> services.Actor:
    return services.Actor(user_id=current_user.id)


def _back() -> str:
    return same_site_path(request.form.get("next"), url_for("curation_pages.inbox"))


def card_state(testimonial: Testimonial) -> dict[str, Any]:
    """What inbox.js needs to update a card in place."""
    return {
        "id": testimonial.id,
        "status": testimonial.status,
        "excerpt": testimonial.public_excerpt,
        "rejection_reason": testimonial.rejection_reason,
        "snoozed_until": testimonial.snoozed_until.date().isoformat()
        if testimonial.snoozed_until
        else None,
        "tags": [tag.name for tag in testimonial.tags],
    }


def _done(message: str, changed: Iterable[Testimonial], **extra: Any) -> Any:
    get_session().commit()
    refit_after_response(_workspace_id())  # decisions teach the ranking, off the clock
    if wants_json():
        states = [card_state(t) for t in changed]
        return jsonify(ok=True, message=message, testimonials=states, **extra)
    flash(message)
    return redirect(_back())


def _refused(error: ServiceError) -> Any:
    get_session().rollback()
    if wants_json():
        body = {"ok": False, "error": error.detail, "errors": error.errors or {}}
        return jsonify(body), error.status
    flash(error.detail)
    return redirect(_back())


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    """JSON errors for inbox.js (a 403 for a viewer, an expired CSRF token), pages otherwise."""
    if wants_json():
        detail = error.description or error.name
        if error.code == 400 and "CSRF" in (detail or ""):
            detail = "The page expired; reload it and try again."
        return jsonify(ok=False, error=detail), error.code or 500
    return http_error_response(error)


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError) -> Any:
    if wants_json():
        return jsonify(ok=False, error=error.detail, errors=error.errors or {}), error.status
    return render_template(
        "error.html", status=error.status, title=error.title, detail=error.detail
    ), error.status


def highlight(text: str, excerpt: str | None) -> tuple[str, str, str] | None:
    """(before, excerpt, after) when the excerpt is found in the text, else None."""
    if not excerpt:
        return None
    at = text.find(excerpt)
    if at < 0:
        return None
    return text[:at], excerpt, text[at + len(excerpt) :]


@bp.app_template_global("highlight")
def _highlight_global(text: str, excerpt: str | None) -> tuple[str, str, str] | None:
    return highlight(text, excerpt)


# --- inbox ----------------------------------------------------------------------------


def inbox_page(
    session: Session, workspace_id: int, filters: InboxFilters, page_number: int
) -> Page[Testimonial]:
    """One page of the inbox: ranked ids with the total in one pass, then the 25 rows.

    Ranking and counting touch only ids and scores (the total rides along as a window
    count), so the database never sorts whole rows of text; tags come in one more query.
    """
    ranked = inbox_query(workspace_id, filters).with_only_columns(
        Testimonial.id, func.count().over().label("total")
    )
    page_number = valid_page(page_number)
    offset = (page_number - 1) * PER_PAGE
    rows = session.execute(ranked.limit(PER_PAGE).offset(offset)).all()
    ids = [row.id for row in rows]
    if rows:
        total = rows[0].total
    else:  # past the last page (or nothing at all): count separately
        counted = ranked.with_only_columns(Testimonial.id).order_by(None).subquery()
        total = session.scalar(select(func.count()).select_from(counted))
    loaded = session.scalars(
        select(Testimonial).where(Testimonial.id.in_(ids)).options(selectinload(Testimonial.tags))
    ).all()
    by_id = {t.id: t for t in loaded}
    items = [by_id[i] for i in ids if i in by_id]
    return Page(items=items, total=total or 0, page=page_number, per_page=PER_PAGE)


@bp.route("/inbox")
@role_required(Role.VIEWER)
def inbox() -> Any:
    """Candidates ranked best first, with filters, 25 per page."""
    workspace_id = _workspace_id()
    session = get_session()
    filters = inbox_filters_from(request.args)
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    page = inbox_page(session, workspace_id, filters, page_number)
    workspace_tags = session.scalars(tags.tags_query(workspace_id)).all()
    sources = session.scalars(
        select(FeedbackItem.source_name)
        .where(FeedbackItem.workspace_id == workspace_id)
        .distinct()
        .order_by(FeedbackItem.source_name)
    ).all()
    return render_template(
        "curation/inbox.html",
        page=page,
        filters=filters,
        values=request.args,
        statuses=list(Status),
        channels=list(Channel),
        groups=list(NpsGroup),
        sorts=SORTS,
        sources=sources,
        workspace_tags=workspace_tags,
        can_edit=_can(Role.EDITOR),
        threshold=services.SUSPICION_OVERRIDE_THRESHOLD,
        here=request.full_path.rstrip("?"),
        needs_fix=session.scalar(
            select(func.count())
            .select_from(Testimonial)
            .where(
                Testimonial.workspace_id == workspace_id,
                Testimonial.honesty_problem.is_not(None),
            )
        ),
        **_setup_progress(session, workspace_id, page.total),
    )


def _setup_progress(session: Session, workspace_id: int, shown: int) -> dict[str, int | None]:
    """How far setup is, for the empty inbox's pointer to the checklist (no queries otherwise)."""
    if shown:
        return {"setup_done": None, "setup_total": None}
    membership = current_membership()
    assert membership is not None
    entries = setup_checklist(
        session, workspace_id, Role(membership.role), setup_steps(current_app)
    )
    return {"setup_done": sum(e.done for e in entries), "setup_total": len(entries)}


# --- triage ---------------------------------------------------------------------------


def _testimonial(testimonial_id: int) -> Testimonial:
    return services.get_testimonial(get_session(), _workspace_id(), testimonial_id)


@bp.route("/inbox/<int:testimonial_id>/approve", methods=["POST"])
@role_required(Role.EDITOR)
def approve(testimonial_id: int) -> Any:
    """Approve for public display (consent and the suspicion guard permitting)."""
    testimonial = _testimonial(testimonial_id)
    try:
        services.approve(
            get_session(), testimonial, _actor(), request.form.get("override_reason") or None
        )
    except ServiceError as error:
        return _refused(error)
    return _done(f"Approved #{testimonial.id}.", [testimonial])


@bp.route("/inbox/<int:testimonial_id>/reject", methods=["POST"])
@role_required(Role.EDITOR)
def reject(testimonial_id: int) -> Any:
    """Reject, with an optional reason."""
    testimonial = _testimonial(testimonial_id)
    services.reject(get_session(), testimonial, _actor(), request.form.get("reason") or None)
    return _done(f"Rejected #{testimonial.id}.", [testimonial])


@bp.route("/inbox/<int:testimonial_id>/snooze", methods=["POST"])
@role_required(Role.EDITOR)
def snooze(testimonial_id: int) -> Any:
    """Hide until tomorrow, next week or a chosen date."""
    testimonial = _testimonial(testimonial_id)
    try:
        until = snooze_until(request.form, utcnow())
        services.snooze(get_session(), testimonial, _actor(), until)
    except ServiceError as error:
        return _refused(error)
    return _done(f"Snoozed #{testimonial.id} until {until:%Y-%m-%d}.", [testimonial])


@bp.route("/inbox/undo", methods=["POST"])
@role_required(Role.EDITOR)
def undo() -> Any:
    """Undo your last action (a whole bulk action at once)."""
    try:
        changed = services.undo_last(get_session(), _workspace_id(), _actor())
    except ServiceError as error:
        return _refused(error)
    ids = ", ".join(f"#{t.id}" for t in changed)
    return _done(f"Undone: {ids} restored.", changed)


def bulk_summary(action: str, result: services.BulkResult) -> str:
    """ "12 approved, 2 skipped: no consent (2)" — readable, with the reasons grouped."""
    past = {"approve": "approved", "reject": "rejected", "snooze": "snoozed", "tag": "tagged"}
    summary = f"{len(result.done)} {past.get(action, action)}"
    if result.skipped:
        reasons: dict[str, list[int]] = {}
        for testimonial_id, reason in result.skipped.items():
            reasons.setdefault(reason, []).append(testimonial_id)
        grouped = "; ".join(
            f"{reason} ({', '.join(f'#{i}' for i in ids)})" for reason, ids in reasons.items()
        )
        summary += f", {len(result.skipped)} skipped: {grouped}"
    return summary + "."


@bp.route("/inbox/bulk", methods=["POST"])
@role_required(Role.EDITOR)
def bulk() -> Any:
    """Approve, reject, snooze or tag a selection; refusals are reported per item."""
    workspace_id = _workspace_id()
    session = get_session()
    ids = [int(raw) for raw in request.form.getlist("ids") if raw.isdigit()]
    action = request.form.get("action", "")
    try:
        chosen_tags: list[Tag] = []
        if action == "tag":
            chosen_tags = _tags_for(session, workspace_id, request.form.getlist("tag_id"), "")
            if not chosen_tags:
                raise InvalidInputError("Choose a tag.", {"tag_id": ["Missing."]})
        until = snooze_until(request.form, utcnow()) if action == "snooze" else None
        result = services.bulk_action(
            session,
            workspace_id,
            ids,
            action,
            _actor(),
            reason=request.form.get("reason") or None,
            until=until,
            tags=chosen_tags,
        )
    except ServiceError as error:
        return _refused(error)
    changed = session.scalars(
        select(Testimonial).where(
            Testimonial.workspace_id == workspace_id, Testimonial.id.in_(result.done)
        )
    ).all()
    skipped = {str(k): v for k, v in result.skipped.items()}
    return _done(bulk_summary(action, result), changed, skipped=skipped)


def _tags_for(
    session: Session, workspace_id: int, raw_ids: Sequence[str], new_name: str
) -> list[Tag]:
    """Chosen tags of the workspace, plus a new one created inline when named."""
    ids = [int(raw) for raw in raw_ids if raw.isdigit()]
    chosen = tags.tags_by_id(session, workspace_id, ids) if ids else []
    name = " ".join(new_name.split())
    if name:
        existing = session.scalar(
            select(Tag).where(
                Tag.workspace_id == workspace_id, func.lower(Tag.name) == name.lower()
            )
        )
        chosen.append(existing or tags.create_tag(session, workspace_id, name))
    return list({tag.id: tag for tag in chosen}.values())


# One testimonial's page (edit, tags, photo), the audit log and the tags pages live in their
# own modules, on this same blueprint.
from testimonials.curation import edit_pages, library_pages  # noqa: E402, F401
