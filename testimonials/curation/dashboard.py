"""The curation dashboard's blueprint and what its page modules share.

The pages themselves are plain modules on this one blueprint: `pages.py` (the inbox and
triage), `edit_pages.py` (one testimonial: edit, tags, photo) and `library_pages.py` (the
audit log and tags). Every action is a plain POST form (works without JavaScript: it
redirects back with a message); inbox.js sends the same forms with
`Accept: application/json` and gets JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from testimonials.accounts.auth import same_site_path
from testimonials.accounts.models import Role
from testimonials.curation import services
from testimonials.curation.after_triage import refit_after_response
from testimonials.curation.groups import stored_item_standing
from testimonials.curation.models import Testimonial
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.models import FeedbackItem
from testimonials.problems import http_error_response
from testimonials.web import current_role, current_workspace_id, discard_changes

bp = Blueprint("curation_pages", __name__)


# --- helpers --------------------------------------------------------------------------


def wants_json() -> bool:
    """Whether the caller (inbox.js) asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def can(role: Role) -> bool:
    """Whether the signed-in member's role allows what `role` may do."""
    return current_role().allows(role)


def back() -> str:
    """Where a triage form came from (a path on this site), else the inbox."""
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


def done(message: str, changed: Iterable[Testimonial], **extra: Any) -> Any:
    """A change went through: JSON for inbox.js, else a message and back where it came from."""
    refit_after_response(current_workspace_id())  # decisions teach the ranking, off the clock
    if wants_json():
        states = [card_state(t) for t in changed]
        return jsonify(ok=True, message=message, testimonials=states, **extra)
    flash(message)
    return redirect(back())


def refused(error: ServiceError) -> Any:
    """A change was refused: nothing of it is kept, and the reason is shown."""
    discard_changes()  # refused, yet answered with a redirect or 200 JSON
    if wants_json():
        body = {"ok": False, "error": error.detail, "errors": error.errors or {}}
        return jsonify(body), error.status
    flash(error.detail)
    return redirect(back())


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


@bp.app_template_global("inbox_group")
def inbox_group(item: FeedbackItem) -> tuple[int, str] | None:
    """The item's inbox group (see `scoring.standing`) and how the card names it; None for
    an erased item, which has nothing left to say."""
    if item.erased_at is not None:
        return None
    from testimonials.scoring.standing import STANDING_LABELS

    group = stored_item_standing(item)
    return int(group), STANDING_LABELS[group]


# --- one testimonial -------------------------------------------------------------------


def testimonial_in_workspace(testimonial_id: int) -> Testimonial:
    """The testimonial of the current workspace with this id, or 404."""
    return services.get_testimonial(get_session(), current_workspace_id(), testimonial_id)
