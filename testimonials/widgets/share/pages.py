"""Share pages: the public page per testimonial (/t/<token>) and the dashboard's share view."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from testimonials.accounts.auth import current_membership, role_required, same_site_path
from testimonials.accounts.models import Role, Workspace
from testimonials.curation.models import Testimonial
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.widgets.share import services
from testimonials.widgets.share.render import ShareFormat
from testimonials.widgets.share.serving import image_response

public = Blueprint("share_public", __name__)
dashboard = Blueprint("share_pages", __name__)


def _format(value: str | None) -> ShareFormat:
    try:
        return ShareFormat(value or ShareFormat.CARD.value)
    except ValueError:
        abort(400, "The image format is card or square.")


# --- the public page ------------------------------------------------------------------


@public.route("/t/<token>")
def page(token: str) -> Any:
    """A testimonial's public page: the quote, its author, OpenGraph and Twitter cards."""
    session = get_session()
    testimonial = services.shared_testimonial(session, token)
    workspace = session.get_one(Workspace, testimonial.workspace_id)
    content = services.share_content(workspace, testimonial)
    html = render_template(
        "share/page.html",
        content=content,
        token=token,
        quote_lang=testimonial.item.language or "und",
        card_version=content.version(ShareFormat.CARD),
    )
    return html, 200, {"Cache-Control": "public, no-cache"}


@public.route("/t/<token>/<share_format>.png")
def image(token: str, share_format: str) -> Any:
    """The public page's image, as link previews and crawlers fetch it."""
    session = get_session()
    testimonial = services.shared_testimonial(session, token)
    return image_response(session, testimonial, _format(share_format), public=True)


# --- the dashboard --------------------------------------------------------------------


def _testimonial(testimonial_id: int) -> Testimonial:
    membership = current_membership()
    assert membership is not None
    return services.get_shareable(get_session(), membership.workspace_id, testimonial_id)


def _can_edit() -> bool:
    membership = current_membership()
    return membership is not None and Role(membership.role).allows(Role.EDITOR)


@dashboard.route("/inbox/<int:testimonial_id>/share")
@role_required(Role.VIEWER)
def share(testimonial_id: int) -> Any:
    """Previews of both images, download links, and the public page's link."""
    session = get_session()
    testimonial = _testimonial(testimonial_id)
    membership = current_membership()
    assert membership is not None
    return render_template(
        "share/dashboard.html",
        t=testimonial,
        reason=services.why_not_shareable(testimonial),
        share_page=services.share_page_of(session, testimonial),
        workspace=session.get_one(Workspace, testimonial.workspace_id),
        can_edit=_can_edit(),
        is_owner=Role(membership.role).allows(Role.OWNER),
    )


@dashboard.route("/inbox/<int:testimonial_id>/share-image.png")
@role_required(Role.VIEWER)
def download(testimonial_id: int) -> Any:
    """The image for members; `download=1` saves it as a file."""
    testimonial = _testimonial(testimonial_id)
    share_format = _format(request.args.get("format"))
    return image_response(
        get_session(),
        testimonial,
        share_format,
        public=False,
        download=request.args.get("download") == "1",
    )


@dashboard.route("/inbox/<int:testimonial_id>/share", methods=["POST"])
@role_required(Role.EDITOR)
def open_or_close(testimonial_id: int) -> Any:
    """Open or close the public page."""
    session = get_session()
    testimonial = _testimonial(testimonial_id)
    here = url_for("share_pages.share", testimonial_id=testimonial.id)
    try:
        if request.form.get("action") == "close":
            services.close_share_page(session, testimonial)
            message = "The share page is closed; its link no longer works."
        else:
            services.open_share_page(session, testimonial)
            message = "The share page is open: anyone with the link can see it."
    except ServiceError as error:
        session.rollback()
        flash(error.detail)
        return redirect(here)
    session.commit()
    flash(message)
    return redirect(here)


@dashboard.route("/settings/brand-color", methods=["POST"])
@role_required(Role.OWNER)
def brand_color() -> Any:
    """Set the workspace's brand colour (owners only)."""
    session = get_session()
    membership = current_membership()
    assert membership is not None
    workspace = session.get_one(Workspace, membership.workspace_id)
    back = same_site_path(request.form.get("next"), url_for("curation_pages.inbox"))
    try:
        services.set_brand_color(session, workspace, request.form.get("brand_color"))
    except ServiceError as error:
        session.rollback()
        flash(error.detail)
        return redirect(back)
    session.commit()
    flash("Brand colour saved; share images use it from now on.")
    return redirect(back)
