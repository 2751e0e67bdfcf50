"""Dashboard pages for curation: the inbox and its triage actions (one, bulk, undo)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import (
    current_app,
    render_template,
    request,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.accounts.auth import current_membership, role_required
from testimonials.accounts.models import Role
from testimonials.curation import services, tags
from testimonials.curation.bulk import BulkResult, bulk_action
from testimonials.curation.dashboard import bp, can, done, refused, testimonial_in_workspace
from testimonials.curation.forms import (
    inbox_filters_from,
    snooze_until,
)
from testimonials.curation.inbox import SORTS, InboxFilters, inbox_page
from testimonials.curation.models import Status, Tag, Testimonial
from testimonials.db import get_session, utcnow
from testimonials.errors import InvalidInputError, ServiceError
from testimonials.harvest.getting_started import setup_checklist, setup_steps
from testimonials.harvest.models import Channel, FeedbackItem, NpsGroup
from testimonials.harvest.services import (
    distinct_item_values,
    language_name,
    workspace_languages,
)
from testimonials.schemas import parse_id
from testimonials.web import current_actor, current_workspace_id

PER_PAGE = 25


# --- inbox ----------------------------------------------------------------------------


@bp.route("/inbox")
@role_required(Role.VIEWER)
def inbox() -> Any:
    """Candidates ranked best first, with filters, 25 per page."""
    workspace_id = current_workspace_id()
    session = get_session()
    filters = inbox_filters_from(request.args)
    languages = sorted(
        ((code, language_name(code)) for code in workspace_languages(session, workspace_id)),
        key=lambda pair: (pair[1].casefold(), pair[0]),
    )
    language_problem = None
    if filters.language is not None:
        # The list's own spelling of a code typed into the URL in another case ("EN").
        known = {code.casefold(): code for code, _name in languages}
        language = known.get(filters.language.casefold())
        if language is None:
            language_problem = filters.language
        filters = replace(filters, language=language)
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    page = inbox_page(session, workspace_id, filters, page_number, PER_PAGE)
    elsewhere = _elsewhere(session, workspace_id, filters) if page.total == 0 else []
    workspace_tags = session.scalars(tags.tags_query(workspace_id)).all()
    sources = source_names(session, workspace_id)
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
        languages=languages,
        language_problem=language_problem,
        workspace_tags=workspace_tags,
        can_edit=can(Role.EDITOR),
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
        elsewhere=elsewhere,
        **_setup_progress(session, workspace_id, page.total),
    )


def _elsewhere(
    session: Session, workspace_id: int, filters: InboxFilters
) -> list[tuple[Status, str]]:
    """When a tab finds nothing, the other tabs that the same filters find something in
    (a search in *Pending* for words already approved), with how many ("1,000+" past the
    inbox's counting cap). Only on an empty answer: one capped count in every tab, then one
    per other tab if that found any."""
    if filters.status is None:
        return []
    if not inbox_page(session, workspace_id, replace(filters, status=None), 1, 1).total:
        return []  # nothing anywhere (a word no one wrote): one query, not one a tab
    found = []
    for status in Status:
        if status is not filters.status:
            page = inbox_page(session, workspace_id, replace(filters, status=status), 1, 1)
            if page.total:
                found.append((status, f"{page.total:,}{'+' if page.more else ''}"))
    return found


def source_names(session: Session, workspace_id: int) -> list[str]:
    """The workspace's source names in order, for the filter's choices.

    One index seek per name on the (workspace, source, external id) key, each for the next
    name up: a DISTINCT would read every item of the workspace, a million of them.
    """
    return distinct_item_values(session, workspace_id, FeedbackItem.source_name)


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


@bp.route("/inbox/<int:testimonial_id>/approve", methods=["POST"])
@role_required(Role.EDITOR)
def approve(testimonial_id: int) -> Any:
    """Approve for public display (consent and the suspicion guard permitting)."""
    testimonial = testimonial_in_workspace(testimonial_id)
    try:
        services.approve(
            get_session(), testimonial, current_actor(), request.form.get("override_reason") or None
        )
    except ServiceError as error:
        return refused(error)
    return done(f"Approved #{testimonial.id}.", [testimonial])


@bp.route("/inbox/<int:testimonial_id>/reject", methods=["POST"])
@role_required(Role.EDITOR)
def reject(testimonial_id: int) -> Any:
    """Reject, with an optional reason."""
    testimonial = testimonial_in_workspace(testimonial_id)
    try:
        services.reject(get_session(), testimonial, current_actor(), request.form.get("reason"))
    except ServiceError as error:
        return refused(error)
    return done(f"Rejected #{testimonial.id}.", [testimonial])


@bp.route("/inbox/<int:testimonial_id>/snooze", methods=["POST"])
@role_required(Role.EDITOR)
def snooze(testimonial_id: int) -> Any:
    """Hide until tomorrow, next week or a chosen date."""
    testimonial = testimonial_in_workspace(testimonial_id)
    try:
        until = snooze_until(request.form, utcnow())
        services.snooze(get_session(), testimonial, current_actor(), until)
    except ServiceError as error:
        return refused(error)
    return done(f"Snoozed #{testimonial.id} until {until:%Y-%m-%d}.", [testimonial])


@bp.route("/inbox/undo", methods=["POST"])
@role_required(Role.EDITOR)
def undo() -> Any:
    """Undo your last action (a whole bulk action at once)."""
    try:
        changed = services.undo_last(get_session(), current_workspace_id(), current_actor())
    except ServiceError as error:
        return refused(error)
    ids = ", ".join(f"#{t.id}" for t in changed)
    return done(f"Undone: {ids} restored.", changed)


def bulk_summary(action: str, result: BulkResult) -> str:
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
    workspace_id = current_workspace_id()
    session = get_session()
    ids = [found for found in map(parse_id, request.form.getlist("ids")) if found]
    action = request.form.get("action", "")
    try:
        chosen_tags: list[Tag] = []
        if action == "tag":
            chosen_tags = tags.chosen_tags(
                session, workspace_id, request.form.getlist("tag_id"), ""
            )
            if not chosen_tags:
                raise InvalidInputError("Choose a tag.", {"tag_id": ["Missing."]})
        until = snooze_until(request.form, utcnow()) if action == "snooze" else None
        result = bulk_action(
            session,
            workspace_id,
            ids,
            action,
            current_actor(),
            reason=request.form.get("reason") or None,
            until=until,
            tags=chosen_tags,
        )
    except ServiceError as error:
        return refused(error)
    changed = session.scalars(
        select(Testimonial).where(
            Testimonial.workspace_id == workspace_id, Testimonial.id.in_(result.done)
        )
    ).all()
    skipped = {str(k): v for k, v in result.skipped.items()}
    return done(bulk_summary(action, result), changed, skipped=skipped)
